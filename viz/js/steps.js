// Step lines of a sampled series, for the mechanism lanes that draw a level over time (a
// socket's queue, a message queue's count). A leaf module: it imports nothing.

// Step points [x, v, x, v...] of series arr over [t0, t1] (k px per ns, W px wide). q gives
// the samples' times (q.sT) and q.after(t), the first sample after t: the samples in view
// are found by binary search. More samples than pixel columns: each column's largest value,
// so a full queue is never hidden by zooming out.
export function stepPoints(q, arr, t0, t1, k, W) {
  const pts = [];
  let j = q.after(t0);
  const j1 = q.after(t1);
  let v = j > 0 ? arr[j - 1] : 0;
  pts.push(0, v);
  if (j1 - j > W) {
    const Wc = Math.ceil(W);
    for (let c = 0; c < Wc; c++) {
      let mx = v;
      const tEnd = t0 + (c + 1) / k;
      for (; j < j1 && q.sT[j] < tEnd; j++) {
        v = arr[j];
        if (v > mx) mx = v;
      }
      pts.push(c, mx, c + 1, mx);
    }
    pts.push(W, v);
    return pts;
  }
  for (; j < j1; j++) {
    const x = (q.sT[j] - t0) * k;
    if (arr[j] !== v) {
      pts.push(x, v, x, arr[j]);
      v = arr[j];
    }
  }
  pts.push(W, v);
  return pts;
}
