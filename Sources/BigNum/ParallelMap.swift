import Dispatch

/// Runs `body` for every index in `0 ..< count` over all cores (Dispatch's
/// `concurrentPerform`), returning the results in index order, or throwing
/// the error of the lowest failing index. The one parallel loop of HEKit's
/// batch work (Paillier batches, BFV batch scoring, the CLI's record chunks).
package func parallelMap<T: Sendable, E: Error>(
  _ count: Int, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
  let slots = Locked([Result<T, E>?](repeating: nil, count: count))
  DispatchQueue.concurrentPerform(iterations: count) { index in
    let result: Result<T, E>
    do throws(E) {
      result = .success(try body(index))
    } catch {
      result = .failure(error)
    }
    slots.withLock { $0[index] = result }
  }
  return try slots.withLock { (slots) throws(E) -> [T] in
    // concurrentPerform returns after every index ran, so no slot is empty.
    try slots.map { (slot) throws(E) -> T in try slot!.get() }
  }
}
