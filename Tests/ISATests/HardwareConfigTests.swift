import Foundation
import Testing
@testable import ISA

/// Presets carry the published figures; JSON round-trips; bad JSON gives one clear message.
struct HardwareConfigTests {
    static let kibibyte = 1024
    static let mebibyte = 1024 * 1024

    @Test func diannaoPreset() {
        let config = HardwareConfig.diannao
        #expect(config.name == "diannao")
        #expect(config.array.rows == 16 && config.array.cols == 16)
        #expect(config.clockGHz == 0.98)
        #expect(config.dataType == .int16)
        #expect(config.nbin.capacityBytes == 2048 && config.sb.capacityBytes == 32768 && config.nbout.capacityBytes == 2048)
        #expect(config.dram.bandwidthGBps == 12.8)
        #expect(config.peakMACsPerCycle == 256)
    }

    @Test func edgePreset() {
        let config = HardwareConfig.edge
        #expect(config.array.rows == 32 && config.array.cols == 32)
        #expect(config.dataType == .int8 && config.clockGHz == 1.0)
        #expect(config.nbin.capacityBytes == 256 * Self.kibibyte)
        #expect(config.sb.capacityBytes == 256 * Self.kibibyte)
        #expect(config.nbout.capacityBytes == 128 * Self.kibibyte)
        #expect(config.dram.bandwidthGBps == 25.6)
        #expect(config.dramBytesPerCycle == 25.6)
    }

    @Test func tpuPreset() {
        let config = HardwareConfig.tpu
        #expect(config.array.rows == 256 && config.array.cols == 256 && config.array.dataflow == .weightStationary)
        #expect(config.dataType == .int8 && config.clockGHz == 0.7)
        #expect(config.nbin.capacityBytes == 24 * Self.mebibyte)
        #expect(config.sb.capacityBytes == 256 * Self.kibibyte)
        #expect(config.nbout.capacityBytes == 4 * Self.mebibyte)
        #expect(config.dram.bandwidthGBps == 34)
        #expect(config.dram.capacityBytes == 8 << 30)
    }

    @Test(arguments: HardwareConfig.presets)
    func presetsAreValidAndRoundTripThroughJSON(config: HardwareConfig) throws {
        try config.validate()
        #expect(try HardwareConfig.decode(json: config.jsonData(), source: "x.json") == config)
        #expect(try HardwareConfig.decode(json: Data(config.compactJSON().utf8), source: "x.json") == config)
        #expect(try HardwareConfig.named(config.name) == config)
        #expect(HardwareConfig.presets.filter { $0.name == config.name }.count == 1)
    }

    @Test func randomConfigurationsRoundTripThroughJSON() throws {
        var generator = SplitMix64(seed: 0xC0F1)
        for _ in 0..<200 {
            let config = RandomPrograms.configuration(using: &generator)
            #expect(try HardwareConfig.decode(json: config.jsonData(), source: "x.json") == config)
        }
    }

    @Test func jsonUsesSnakeCaseKeys() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: HardwareConfig.edge.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["name", "array", "clock_ghz", "data_type", "nbin", "sb", "nbout", "vector", "dram",
                                     "queue_depth", "mac_energy"])
        #expect(Set((object["dram"] as? [String: Any] ?? [:]).keys)
                == ["bandwidth_gbps", "latency_cycles", "burst_bytes", "capacity_bytes", "energy_per_byte_pj"])
        #expect(Set((object["mac_energy"] as? [String: Any] ?? [:]).keys) == ["int8_pj", "int16_pj", "fp16_pj"])
        #expect(object["data_type"] as? String == "int8")
        #expect((object["array"] as? [String: Any])?["dataflow"] as? String == "ws")
    }

    /// The edge preset's JSON with one edit applied to its object tree.
    static func editedJSON(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: HardwareConfig.edge.jsonData()) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func message(_ data: Data) -> String? {
        do {
            _ = try HardwareConfig.decode(json: data, source: "my.json")
            return nil
        } catch {
            guard case .invalidConfiguration = error else { return "wrong error: \(error)" }
            return error.description
        }
    }

    @Test func invalidConfigurationsGiveOneClearMessage() throws {
        #expect(Self.message(try Self.editedJSON { object in
            var nbin = object["nbin"] as! [String: Any]
            nbin["capacity_bytes"] = -2048
            object["nbin"] = nbin
        }) == "invalid configuration: my.json: nbin.capacity_bytes must be positive, got -2048")
        #expect(Self.message(try Self.editedJSON { $0["queue_depth"] = nil })
                == "invalid configuration: my.json: missing key 'queue_depth'")
        #expect(Self.message(try Self.editedJSON { object in
            var dram = object["dram"] as! [String: Any]
            dram["burst_bytes"] = nil
            object["dram"] = dram
        }) == "invalid configuration: my.json: missing key 'dram.burst_bytes'")
        #expect(Self.message(try Self.editedJSON { $0["clock_ghz"] = "fast" })
                == "invalid configuration: my.json: wrong type at 'clock_ghz': Expected to decode Double but found a string instead.")
        #expect(Self.message(try Self.editedJSON { $0["data_type"] = "int4" })
                == "invalid configuration: my.json: invalid value at 'data_type': unknown data type 'int4' (int8, int16, fp16)")
        #expect(Self.message(try Self.editedJSON { object in
            var sb = object["sb"] as! [String: Any]
            sb["capacity_bytes"] = 1 << 27
            object["sb"] = sb
        }) == "invalid configuration: my.json: sb.capacity_bytes must be at most 67108864 (the address field's reach), got 134217728")
        #expect(Self.message(try Self.editedJSON { $0["clock_ghz"] = 0 })
                == "invalid configuration: my.json: clock_ghz must be positive, got 0.0")
        #expect(Self.message(Data("array: 16x16".utf8)) == "invalid configuration: my.json: not valid JSON")
        #expect(Self.message(Data()) == "invalid configuration: my.json: not valid JSON")
    }

    @Test func namedRejectsUnknownNamesAndMissingFiles() {
        #expect(throws: ISAError.invalidConfiguration("unknown configuration 'huge' (presets: diannao, edge, tpu; or give a .json file)")) {
            try HardwareConfig.named("huge")
        }
        #expect(throws: ISAError.invalidConfiguration("cannot read /nonexistent/npusim.json")) {
            try HardwareConfig.named("/nonexistent/npusim.json")
        }
    }

    /// Horowitz's three SRAM points, per byte (a 64-bit access is 8 bytes), and the log-log
    /// interpolation between them.
    @Test func sramEnergyFollowsHorowitz() {
        #expect(EnergyDefaults.sramPerByte(capacityBytes: 1024) == 1.25)
        #expect(EnergyDefaults.sramPerByte(capacityBytes: 8192) == 1.25)
        #expect(EnergyDefaults.sramPerByte(capacityBytes: 32768) == 2.5)
        #expect(EnergyDefaults.sramPerByte(capacityBytes: 1 << 20) == 12.5)
        #expect(EnergyDefaults.sramPerByte(capacityBytes: 16384) == 1.768)  // sqrt(1.25 * 2.5)
        #expect(EnergyDefaults.dramPerByte == 162.5)
    }
}
