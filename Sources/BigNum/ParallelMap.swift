import Dispatch

/// Runs `body` for every index in `0 ..< count` over ``Parallelism/threadCount``
/// threads (all cores unless limited), returning the results in index order,
/// or throwing the error of the lowest failing index. The one parallel loop
/// of HEKit's batch work (Paillier batches, BFV batch scoring, the CLI's
/// record chunks).
///
/// On every core it is Dispatch's `concurrentPerform` over the indices; with
/// fewer threads, that many workers take the next index from a shared
/// counter; with one thread, the indices run in order on the calling thread
/// (stopping at the first error, which is then the lowest failing index).
package func parallelMap<T: Sendable, E: Error>(
  _ count: Int, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
  try parallelMap(count, threads: Parallelism.threadCount, body)
}

/// ``parallelMap(_:_:)`` on `threads` threads out of `cores` (parameters for
/// tests; HEKit passes ``Parallelism/threadCount`` and the machine's cores).
package func parallelMap<T: Sendable, E: Error>(
  _ count: Int, threads: Int, cores: Int = Parallelism.availableCores, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
  let threads = min(threads, count)
  if threads <= 1 {
    var results: [T] = []
    results.reserveCapacity(count)
    for index in 0..<count { results.append(try body(index)) }
    return results
  }
  let slots = Locked([Result<T, E>?](repeating: nil, count: count))
  @Sendable func run(_ index: Int) {
    let result: Result<T, E>
    do throws(E) {
      result = .success(try body(index))
    } catch {
      result = .failure(error)
    }
    slots.withLock { $0[index] = result }
  }
  if threads >= cores {
    DispatchQueue.concurrentPerform(iterations: count, execute: run)
  } else {
    let next = Locked(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let index = next.withLock { (value: inout Int) -> Int in
          defer { value += 1 }
          return value
        }
        if index >= count { return }
        run(index)
      }
    }
  }
  return try slots.withLock { (slots) throws(E) -> [T] in
    // Every index ran before concurrentPerform returned, so no slot is empty.
    try slots.map { (slot) throws(E) -> T in try slot!.get() }
  }
}
