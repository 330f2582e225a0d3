import Foundation

extension String {
    /// The string as XML character data: `&`, `<` and `>` escaped (the SVG writers' text labels).
    public var xmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
