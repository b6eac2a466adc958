import Testing

import BigNum

/// HEKit's one parallel loop on one thread, on a few workers and on every
/// core gives the same results in index order and the same error, the lowest
/// failing index's. (Thread counts are passed explicitly: the process-wide
/// ``Parallelism/threadLimit`` is left alone, as other tests run alongside.)
struct ParallelismTests {
  struct Failure: Error, Equatable {
    let index: Int
  }

  @Test(arguments: [(1, 4), (2, 8), (3, 8), (8, 8), (16, 4)])
  func resultsComeInIndexOrder(threads: Int, cores: Int) throws {
    let squares = parallelMap(100, threads: threads, cores: cores) { $0 * $0 }
    #expect(squares == (0..<100).map { $0 * $0 })
    #expect(parallelMap(0, threads: threads, cores: cores) { $0 }.isEmpty)
  }

  @Test(arguments: [(1, 4), (3, 8), (8, 8)])
  func theLowestFailingIndexThrows(threads: Int, cores: Int) {
    #expect(throws: Failure(index: 17)) {
      try parallelMap(64, threads: threads, cores: cores) { (index) throws(Failure) -> Int in
        if index == 17 || index == 40 { throw Failure(index: index) }
        return index
      }
    }
  }

  @Test func theLimitIsClampedToOneAndTheCores() {
    #expect(Parallelism.availableCores >= 1)
    #expect(Parallelism.threadCount >= 1 && Parallelism.threadCount <= Parallelism.availableCores)
  }
}
