/// The indices of the Pareto-optimal points when both coordinates are to be minimized, ordered
/// by increasing x (hence decreasing y).
///
/// A point is on the front when no other point is at least as good in both coordinates and
/// strictly better in one. Ties are resolved deterministically:
/// - exact duplicates: only the one with the lowest index is returned;
/// - equal x: only the lowest y can be on the front; equal y: only the lowest x.
/// Points with a NaN or infinite coordinate are never on the front. O(n log n).
public func paretoFront(_ points: [ScatterPoint]) -> [Int] {
    let candidates = points.indices.filter { points[$0].x.isFinite && points[$0].y.isFinite }
    let ordered = candidates.sorted { a, b in
        let p = points[a], q = points[b]
        if p.x != q.x { return p.x < q.x }
        if p.y != q.y { return p.y < q.y }
        return a < b
    }
    var front: [Int] = []
    var bestY = Double.infinity
    for index in ordered where points[index].y < bestY {
        front.append(index)
        bestY = points[index].y
    }
    return front
}
