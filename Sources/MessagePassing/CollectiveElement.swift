import CMPI

/// A number type the collectives carry: Float, Double, Int64 (sums), UInt8 (bytes), Int32 and
/// UInt16 (broadcast and gathers only).
public protocol CollectiveElement: BitwiseCopyable {
    /// The shim's element type (`glossa_mpi_type`).
    static var collectiveType: Int32 { get }
}

extension Float: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_FLOAT.rawValue) }
}

extension Double: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_DOUBLE.rawValue) }
}

extension Int64: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_INT64.rawValue) }
}

extension UInt8: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_BYTE.rawValue) }
}

extension Int32: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_INT32.rawValue) }
}

extension UInt16: CollectiveElement {
    public static var collectiveType: Int32 { Int32(GLOSSA_MPI_UINT16.rawValue) }
}
