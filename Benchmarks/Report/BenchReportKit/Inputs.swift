// The report's other inputs: the raw floors' JSON and this machine.

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads the JSON the raw-floor programs write with `--json FILE`:
/// `{"program": …, "library": "GMP 6.2.1", "unit": "ns", "rows": [{operation, parameters, min, median, p90, samples, allocations?}]}`.
public enum FloorReader {
  private struct File: Decodable {
    struct Row: Decodable {
      var operation: String
      var parameters: String
      var min: Double
      var median: Double
      var p90: Double
      var samples: Int
      var allocations: Double?
    }
    var program: String
    var library: String?
    var unit: String
    var rows: [Row]
  }

  /// Every row of every `*.json` in `directory`, and the libraries they name
  /// (`GMP` → `6.2.1`).
  /// - Throws: ``ReportError`` naming the file that cannot be read or is not a floor's output.
  public static func floors(in directory: URL) throws(ReportError) -> (floors: [BenchReport.Floor], libraries: [String: String]) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    } catch {
      throw .unreadable(path: directory.path, reason: (error as NSError).localizedDescription)
    }
    var floors: [BenchReport.Floor] = []
    var libraries: [String: String] = [:]
    for name in names {
      let url = directory.appendingPathComponent(name)
      let file: File
      do {
        file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
      } catch {
        throw .malformed(path: url.path, reason: ReportError.describe(error))
      }
      guard file.unit == "ns" else { throw .malformed(path: url.path, reason: "unit '\(file.unit)', expected 'ns'") }
      if let library = file.library, let space = library.firstIndex(of: " ") {
        libraries[String(library[..<space])] = String(library[library.index(after: space)...])
      }
      floors += file.rows.map {
        BenchReport.Floor(
          program: file.program, library: file.library, operation: $0.operation, parameters: $0.parameters, min: $0.min,
          median: $0.median, p90: $0.p90, samples: $0.samples, allocations: $0.allocations)
      }
    }
    return (floors, libraries)
  }
}

/// This machine, as the report's header describes it.
public enum MachineInfo {
  /// The processor, cores, memory, kernel and load average now.
  public static func current(loadStart: [Double]? = nil) -> BenchReport.Machine {
    BenchReport.Machine(
      cpu: cpuName(), cores: ProcessInfo.processInfo.activeProcessorCount,
      memoryGiB: Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824, kernel: kernel(),
      loadAverageStart: loadStart, loadAverageEnd: loadAverage())
  }

  /// The first three numbers of `/proc/loadavg`-style text.
  public static func parseLoad(_ text: String) -> [Double] {
    Array(text.split(separator: " ").prefix(3).compactMap { Double($0) })
  }

  static func loadAverage() -> [Double]? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    let values = parseLoad(text)
    return values.count == 3 ? values : nil
  }

  static func cpuName() -> String {
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
      for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        if let colon = line.firstIndex(of: ":") {
          return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
      }
    }
    return ProcessInfo.processInfo.operatingSystemVersionString
  }

  static func kernel() -> String? {
    #if canImport(Glibc)
      var name = utsname()
      guard uname(&name) == 0 else { return nil }
      func field<T>(_ value: T) -> String {
        withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      }
      return "\(field(name.sysname)) \(field(name.release))"
    #else
      return ProcessInfo.processInfo.operatingSystemVersionString
    #endif
  }
}
