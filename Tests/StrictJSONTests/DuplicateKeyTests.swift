import StrictJSON
import Testing

@Suite("StrictJSON: a key named twice in one object is refused")
struct DuplicateKeyTests {
  @Test(
    "duplicates are found wherever they are",
    arguments: [
      (#"{"intercept": 0, "weights": [1], "intercept": 1000}"#, "intercept"),
      (#"{"a": {"b": 1, "b": 2}}"#, "b"),
      (#"[{"v": "1", "e": 0}, {"v": "2", "v": "3", "e": 0}]"#, "v"),
      (#"{"a": 1, "\u0061": 2}"#, "a"),
      (#"{"x\"y": 1, "x\u0022y": 2}"#, "x\"y"),
      (#"{"😀": 1, "\ud83d\ude00": 2}"#, "😀"),
      (#"{"a": [[{"k": 1}], {"k": 2, "k": 3}]}"#, "k"),
    ])
  func duplicates(text: String, key: String) {
    #expect(throws: StrictJSON.DuplicateKey(key: key)) { try StrictJSON.checkNoDuplicateKeys(text) }
  }

  @Test(
    "well-formed text without duplicates passes",
    arguments: [
      #"{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}"#,
      #"{"a\"": 1, "a": 2, "\\a": 3}"#,
      #"{"s": "{\"a\": 1, \"a\": 2}"}"#,
      #"[1, 2.5e3, true, null, "x", {}, []]"#,
      "",
    ])
  func clean(text: String) throws {
    try StrictJSON.checkNoDuplicateKeys(text)
  }

  @Test("malformed text is left to the parser: no hang, no throw", arguments: ["{", "{\"a\"", "{\"a\": ", "[1,", "{\"a\" 1, \"a\": 2}", "}{", "\"abc", "{\"a\": [}]}"])
  func malformed(text: String) throws {
    try StrictJSON.checkNoDuplicateKeys(text)
  }

  @Test("nesting deeper than the scanner's limit neither crashes nor throws")
  func deep() throws {
    try StrictJSON.checkNoDuplicateKeys(String(repeating: "[", count: 100_000))
    try StrictJSON.checkNoDuplicateKeys(String(repeating: "{\"a\":", count: 10_000))
  }
}
