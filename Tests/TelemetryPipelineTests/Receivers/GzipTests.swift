import Testing

@testable import TelemetryPipeline

@Suite("gzip")
struct GzipTests {
    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    /// Python's `gzip.compress(b"spans:3;first:5", mtime=0)`: fixed Huffman codes.
    static let fixed: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 43, 46, 72, 204, 43, 182, 50, 182, 78, 203, 44, 42, 46, 177, 50, 5, 0, 195, 104, 118,
        242, 15, 0, 0, 0,
    ]

    /// Python's `gzip.compress(",".join(squares 0..<400) + ",", mtime=0)`: dynamic Huffman codes.
    static let dynamic = bytes(hex: "1f8b08000000000002032d95cb81c43008431bcac11830d07f63abc7ec65e24900f391c4f9ec8b6f3e7bdfcdcfdf17f3bdf8da3e3be7b3ab6784beca6264229b9b7af67c7e43f6f2965d849e1d5fdef9b2def764f7f42cfd2fbd6f7d1fd9cd23ae1ced288299421931ed2ab839b704d725f73e12786452cac83ac84119de431646c6f7cc77fdc477e3983293c77d9c8a77cdd7919de3e18a4fd2cadc15cf43919d3bbc749bb7eef5510671944b9055b8f28b50a6f1947314d552461ed59346c14ec5faf2253567711abd7b475fe565eaa63c5ecaf795a2bc56bc3a4973e451baf3abd4bd55caa046b934adefabfc3a98c553ceddca7ea843163a294b7553554e9f9d15cd3a77cf7168f09385da2c6333fcccae730efa688f965ad3ddfb9bb4d3f39bb4ff1693b8b343d9f978e40e88a9f930c0b0b7d8c0575972ee6674f2d3afab11b63db16cce6fdf3fc7e6adfda395561ba78298b5f16bb8abf75e0d9df3e63387dc66f39c05c790bf6a562df750d73d0540ec87100722461f2ece820bfdb93f985cfa76dd78efb1382aec637dc38913745e88217e320f611fdf644a57d3d5fbc7ecae1297fd4ef456c29062ce57550044a62fcee03b60e24eaa0f6ab07a22701610a5577e86b3812a652f1bbf604db005a81704ba1bcc7370e9aed08232f76a44c3190c7b3a70ce45f663be82fce2bd817e2d0bea41885e6e88a09c618cc67b960a67b90dbb4fecb9f53e0cce317c4882af26876c5cf8197e155fff7597346195012e6b36ca2712864716047bcbb0f7a058a10651b9244323a425f836ba11a3d0fa454bf21804db5ea51dceb69a2328a03ee890fe4351479bd25b3133d02bb154776572af263450165d4ba1513685d649bbf06dd146bfa95a52c091cd2875719a7adf49d54e53c572931488e647fd798babe77bf67d1f6b136b9feb9b1be71193d26553dcf5f65e754d393022bd1f725396c8c359a538e4af34d10fa3aebad4585b6f39b54b4dd4870a7a52497f6a3928dc707eabc7453fabe86d6d9fabe9b968a7987d98451fe6d2abcd6dccab2fb3ebcb1cdb9969ef7ca550e85432f74e30a0f4556317f58ab8aabd1bcc74839f1eb0348bab39606c0cbc8d813dc821715bbd96d42379015627c0ed24189ec5f33cb03d94ad5f303f0dfe45297c075ec80e92d831db9563f5bf7e562b1d62e901cba402504e0ff867e7275c82d9fe7bb3df2ad7b2effa2d9bed0cd44660b9416f77ad190aa04bef4f76d10633472824bfa8861e48080b9028f610173d6655b9de4a74fbeaf5fcc47b50275a85ac6bfba1f1d756fc7f8a8682ef3f9ffd16bb006efafabd8d721ffa287ddf25a04bb9eff66f0dfc34d5cf0a2cc2183c567a599be8ffff32f055688fdf3ac8d56e41914ef84fd5252e74c97bf5de67c55fe0a49fb1f4d502d91d1177bf89a2580a3abb4afef74afe964cfe36cedbfba27617c56f4168c064c6dc583b67f757dad690bfcd26e5a63e318f6a6540edd201df0db57dc9b77b12faf3ad7783ea56f5f30fe2ff76ac21090000")

    @Test("fixed-Huffman gzip inflates to the original")
    func fixedBlock() throws {
        #expect(try Gzip.decompress(Self.fixed, limit: 1000) == Array("spans:3;first:5".utf8))
    }

    @Test("dynamic-Huffman gzip inflates to the original")
    func dynamicBlock() throws {
        let expected = (0..<400).map { "\($0 * $0)," }.joined()
        #expect(try Gzip.decompress(Self.dynamic, limit: 10_000) == Array(expected.utf8))
    }

    @Test("truncated, corrupted and over-limit streams are rejected")
    func rejectsBadStreams() {
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(Self.dynamic.prefix(500)), limit: 10_000) }
        var corrupted = Self.dynamic
        corrupted[corrupted.count - 6] ^= 0xFF
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(corrupted, limit: 10_000) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Self.dynamic, limit: 100) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress([1, 2, 3], limit: 100) }
    }
}
