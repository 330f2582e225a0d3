import Foundation
import XCTest
import TextProcessing

final class TokenizerSettingsTests: XCTestCase {
    func json(_ settings: TokenizerSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }

    func testICUSettingsAsConfigJSON() throws {
        let settings = TokenizerSettings.icu(protectedTokens: ["<num>"])
        XCTAssertEqual(try json(settings), """
        {"icu_version":"\(ICU.version)","keep_punctuation":false,"kind":"icu","normalization":"nfkc_cf","protected_tokens":["<pad>","<unk>","<bos>","<eos>","<num>"]}
        """)
        XCTAssertEqual(try JSONDecoder().decode(TokenizerSettings.self, from: Data(try json(settings).utf8)), settings)
        XCTAssertNil(settings.icuVersionWarning)
    }

    func testWhitespaceSettingsAreJustTheKind() throws {
        XCTAssertEqual(try json(.whitespace), #"{"kind":"whitespace"}"#)
        XCTAssertEqual(try JSONDecoder().decode(TokenizerSettings.self, from: Data(#"{"kind": "whitespace"}"#.utf8)), .whitespace)
    }

    func testMinimalAndForeignICUObjects() throws {
        let decoded = try JSONDecoder().decode(TokenizerSettings.self, from: Data(#"{"kind": "icu", "normalization": "nfkc", "icu_version": "70.1"}"#.utf8))
        XCTAssertEqual(decoded.normalization, .nfkc)
        XCTAssertFalse(decoded.casefold)
        XCTAssertEqual(decoded.protectedTokens, TokenizerSettings.specialTokens)
        XCTAssertNotNil(decoded.icuVersionWarning)
        XCTAssertThrowsError(try JSONDecoder().decode(TokenizerSettings.self, from: Data(#"{"kind": "bpe"}"#.utf8)))
    }
}
