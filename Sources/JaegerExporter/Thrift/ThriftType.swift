/// The type tags of the thrift binary protocol, as they appear in field and list headers.
enum ThriftType: UInt8 {
    case stop = 0
    case bool = 2
    case byte = 3
    case double = 4
    case i16 = 6
    case i32 = 8
    case i64 = 10
    case string = 11
    case `struct` = 12
    case map = 13
    case set = 14
    case list = 15

    /// The fewest bytes one value of this type can occupy; bounds declared list sizes
    /// against the bytes that remain, so hostile counts cannot force a large allocation.
    var minimumEncodedSize: Int {
        switch self {
        case .stop: 0
        case .bool, .byte: 1
        case .i16: 2
        case .i32: 4
        case .double, .i64: 8
        case .string: 4
        case .struct: 1
        case .map: 6
        case .set, .list: 5
        }
    }
}
