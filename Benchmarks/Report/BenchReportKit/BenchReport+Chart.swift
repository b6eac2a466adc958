// latest.svg: time per operation against the parameter set (one panel per
// scheme, log–log), and batch throughput on one core against all cores.
// Plain SVG 1.1 text, drawn here so the chart needs nothing but this code;
// `make bench` turns it into a PNG when rsvg-convert is installed.

import Foundation

extension BenchReport {
  /// The chart as an SVG document, or `nil` when the report holds nothing to draw.
  public func chartSVG() -> String? {
    let curves = ScalingPanel.all.map { ($0, $0.series(in: self)) }.filter { !$0.1.isEmpty }
    let pairs = ThroughputPair.pairs(in: self)
    let panelCount = curves.count + (pairs.isEmpty ? 0 : 1)
    guard panelCount > 0 else { return nil }
    let panelWidth = 400.0
    let height = 470.0
    var svg = SVG(width: panelWidth * Double(panelCount), height: height)
    svg.text(
      "HEKit on \(machine.cpu), \(machine.cores) cores — \(created.prefix(10)) — median time per iteration", x: 12, y: 20, size: 13, weight: "bold")
    if let load = machine.loadAverageStart?.first, load > Double(machine.cores) * 0.75 {
      svg.text(
        String(format: "load average %.1f during the run: times inflated by other processes", load), x: 12, y: 36,
        size: 11, color: "#a33")
    }
    var left = 0.0
    for (panel, series) in curves {
      drawCurves(panel, series, into: &svg, frame: (left, 50, panelWidth, height - 50))
      left += panelWidth
    }
    if !pairs.isEmpty { drawThroughput(pairs, into: &svg, frame: (left, 50, panelWidth, height - 50)) }
    return svg.document()
  }

  static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

  private func drawCurves(
    _ panel: ScalingPanel, _ series: [ScalingSeries], into svg: inout SVG,
    frame: (x: Double, y: Double, width: Double, height: Double)
  ) {
    // Room on the left for the tick labels, on the right for each curve's last value.
    let plot = (x: frame.x + 66, y: frame.y + 34, width: frame.width - 124, height: frame.height - 170)
    svg.text(panel.title, x: frame.x + 14, y: frame.y + 14, size: 12.5, weight: "bold")
    let sizes = Array(Set(series.flatMap { $0.points.map(\.size) })).sorted()
    let times = series.flatMap { $0.points.map(\.median) }
    guard let minSize = sizes.first, let maxSize = sizes.last, let minTime = times.min(), let maxTime = times.max(),
      minTime > 0
    else { return }
    // Log axes: x over the sizes, y over whole decades around the times.
    let lowDecade = floor(log10(minTime))
    let highDecade = max(ceil(log10(maxTime)), lowDecade + 1)
    func px(_ size: Int) -> Double {
      maxSize == minSize
        ? plot.x + plot.width / 2
        : plot.x + plot.width * log2(Double(size) / Double(minSize)) / log2(Double(maxSize) / Double(minSize))
    }
    func py(_ ns: Double) -> Double {
      plot.y + plot.height * (1 - (log10(ns) - lowDecade) / (highDecade - lowDecade))
    }
    svg.rect(x: plot.x, y: plot.y, width: plot.width, height: plot.height, stroke: "#999", fill: "none")
    for decade in stride(from: lowDecade, through: highDecade, by: 1) {
      for step in [1.0, 2.0, 5.0] {
        let value = step * pow(10, decade)
        guard value >= pow(10, lowDecade), value <= pow(10, highDecade) else { continue }
        let y = py(value)
        svg.line(x1: plot.x, y1: y, x2: plot.x + plot.width, y2: y, stroke: step == 1 ? "#ddd" : "#f0f0f0")
        if step == 1 || highDecade - lowDecade <= 2 {
          svg.text(Format.duration(value), x: plot.x - 6, y: y + 4, size: 10, anchor: "end", color: "#555")
        }
      }
    }
    let prefix = panel.axis.hasPrefix("ring") ? "N=" : ""
    for size in sizes {
      let x = px(size)
      svg.line(x1: x, y1: plot.y, x2: x, y2: plot.y + plot.height, stroke: "#eee")
      svg.text("\(prefix)\(size)", x: x, y: plot.y + plot.height + 16, size: 10.5, anchor: "middle", color: "#333")
    }
    svg.text(panel.axis, x: plot.x + plot.width / 2, y: plot.y + plot.height + 34, size: 11, anchor: "middle")
    svg.text(
      "time per operation (log)", x: frame.x + 12, y: plot.y + plot.height / 2, size: 11, anchor: "middle",
      rotate: -90)
    for (index, curve) in series.enumerated() {
      let color = Self.palette[index % Self.palette.count]
      let points = curve.points.map { (px($0.size), py($0.median)) }
      svg.polyline(points, stroke: color)
      for (point, value) in zip(points, curve.points) {
        svg.circle(cx: point.0, cy: point.1, r: 3.2, fill: color)
        svg.title(last: "\(curve.label) at \(prefix)\(value.size): \(Format.duration(value.median))")
      }
      if let last = curve.points.last, let end = points.last {
        svg.text(Format.duration(last.median), x: end.0 + 5, y: end.1 - 5, size: 9.5, color: color)
      }
      // Legend under the plot, one line per curve, with the growth per doubling.
      let y = plot.y + plot.height + 56 + Double(index) * 16
      svg.line(x1: frame.x + 20, y1: y - 4, x2: frame.x + 40, y2: y - 4, stroke: color, width: 2.5)
      svg.text("\(curve.label)  (\(Format.growth(curve.points)) per doubling)", x: frame.x + 46, y: y, size: 11)
    }
  }

  private func drawThroughput(
    _ pairs: [ThroughputPair], into svg: inout SVG, frame: (x: Double, y: Double, width: Double, height: Double)
  ) {
    svg.text(
      "Batch throughput: 1 core against all \(machine.cores)", x: frame.x + 14, y: frame.y + 14, size: 12.5,
      weight: "bold")
    svg.text("bars scaled per row; items per second", x: frame.x + 14, y: frame.y + 30, size: 10.5, color: "#555")
    let rowHeight = min(58.0, (frame.height - 60) / Double(pairs.count))
    let barLeft = frame.x + 20
    let barWidth = frame.width - 150  // room for the value after the longer bar
    for (index, pair) in pairs.enumerated() {
      let top = frame.y + 44 + Double(index) * rowHeight
      svg.text(shorten(pair.label) + String(format: "   ×%.2f", pair.speedup), x: barLeft, y: top + 10, size: 10.5)
      let scale = barWidth / max(pair.oneCoreRate, pair.allCoresRate)
      let bars = [("1 core", pair.oneCoreRate, "#9ecae1"), ("all", pair.allCoresRate, "#0072B2")]
      for (row, bar) in bars.enumerated() {
        let y = top + 14 + Double(row) * 15
        svg.rect(x: barLeft, y: y, width: max(1, bar.1 * scale), height: 12, stroke: "none", fill: bar.2)
        svg.text("\(bar.0) \(Format.rate(bar.1))", x: barLeft + max(1, bar.1 * scale) + 5, y: y + 10, size: 10)
      }
    }
  }

  private func shorten(_ label: String) -> String {
    label.count <= 50 ? label : String(label.prefix(49)) + "…"
  }
}

/// A minimal SVG writer.
struct SVG {
  let width: Double
  let height: Double
  private var body: [String] = []

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  static func number(_ value: Double) -> String { String(format: "%.1f", value) }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  mutating func text(
    _ text: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String = "normal",
    color: String = "#222", rotate: Double? = nil
  ) {
    let transform = rotate.map { " transform=\"rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))\"" } ?? ""
    body.append(
      "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" "
        + "text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(color)\"\(transform)>\(Self.escape(text))</text>")
  }

  mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1) {
    body.append(
      "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" "
        + "stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>")
  }

  mutating func rect(x: Double, y: Double, width: Double, height: Double, stroke: String, fill: String) {
    body.append(
      "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" "
        + "height=\"\(Self.number(height))\" stroke=\"\(stroke)\" fill=\"\(fill)\"/>")
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String) {
    let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
    body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"/>")
  }

  mutating func circle(cx: Double, cy: Double, r: Double, fill: String) {
    body.append("<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(fill)\"/>")
  }

  /// A tooltip for the last element drawn.
  mutating func title(last text: String) {
    guard let element = body.popLast(), element.hasSuffix("/>") else { return }
    body.append(String(element.dropLast(2)) + "><title>\(Self.escape(text))</title></" + tagName(element) + ">")
  }

  private func tagName(_ element: String) -> String {
    String(element.dropFirst().prefix { $0 != " " })
  }

  func document() -> String {
    let w = Self.number(width)
    let h = Self.number(height)
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
      font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      \(body.joined(separator: "\n"))
      </svg>

      """
  }
}
