/** Wall-clock milliseconds with sub-ms resolution, comparable across processes on one machine. */
export function now(): number {
    return performance.timeOrigin + performance.now();
}

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
    if (sorted.length == 0) return NaN;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
    return sorted[rank];
}

export function median(values: number[]): number {
    const v = values.filter(x => !Number.isNaN(x)).sort((a, b) => a - b);
    if (v.length == 0) return NaN;
    const mid = v.length >> 1;
    return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
    return Float64Array.from(values).sort();
}

/** One acquisition in a contention run: who, when asked, when granted, when it began releasing. */
export interface Acquisition {
    worker: number;
    requestedAt: number;
    acquiredAt: number;
    releasedAt: number;
}

export interface ContentionStats {
    handoffsPerSec: number;
    acquisitions: number;
    shareToOther: number;
    waitP50: number;
    waitP99: number;
    waitMax: number;
    waits: number[];
    workersServed: number;
    workers: number;
}

/**
 * Hand-offs in [start, end]: acquisitions ordered by grant time; a hand-off "to another worker"
 * is one whose previous holder was a different worker, and its wait (granted − asked) is the
 * waiting worker's wait. Acquisitions granted after `end` (waiters served once the others
 * stopped) still count for the waits, so starvation shows up.
 */
export function contentionStats(events: Acquisition[], start: number, end: number, workers: number): ContentionStats {
    const ordered = [...events].sort((a, b) => a.acquiredAt - b.acquiredAt);
    const inWindow = ordered.filter(e => e.acquiredAt >= start && e.acquiredAt <= end);
    let toOther = 0;
    const waits: number[] = [];
    for (let i = 1; i < ordered.length; i++) {
        if (ordered[i].worker != ordered[i - 1].worker) {
            waits.push(ordered[i].acquiredAt - ordered[i].requestedAt);
            if (ordered[i].acquiredAt <= end) toOther++;
        }
    }
    const sorted = sortedCopy(waits);
    return {
        handoffsPerSec: inWindow.length / ((end - start) / 1000),
        acquisitions: inWindow.length,
        shareToOther: inWindow.length > 1 ? toOther / (inWindow.length - 1) : NaN,
        waitP50: percentile(sorted, 50),
        waitP99: percentile(sorted, 99),
        waitMax: sorted.length ? sorted[sorted.length - 1] : NaN,
        waits,
        workersServed: new Set(inWindow.map(e => e.worker)).size,
        workers
    };
}
