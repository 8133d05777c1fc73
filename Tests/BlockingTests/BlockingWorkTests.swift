import Blocking
import Dispatch
import Testing

@Suite struct BlockingWorkTests {
    @Test func runReturnsTheWorksResult() async {
        #expect(await BlockingWork.run { _ in 6 * 7 } == 42)
    }

    /// Two runs that wait for each other finish: each has a thread of its own that may block,
    /// even when more of them wait than the cooperative pool has threads.
    @Test func runsMayBlockAtTheSameTimeWithoutStarvingEachOther() async {
        let count = 3
        let arrived = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let results = await withTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    await BlockingWork.run { _ in
                        arrived.signal()
                        release.wait()
                        return index
                    }
                }
            }
            group.addTask {
                await BlockingWork.run { _ in
                    for _ in 0..<count { arrived.wait() }
                    for _ in 0..<count { release.signal() }
                    return -1
                }
            }
            var all: [Int] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.sorted() == [-1] + Array(0..<count))
    }
}
