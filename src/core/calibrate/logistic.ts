// Regularised (L1 / elastic-net) logistic regression over aggregated data: each pattern is one
// distinct feature vector with the number of converted and other leads that share it, so a
// million leads with a few thousand distinct firing patterns cost a few thousand rows here.
//
// Objective (as scikit-learn's LogisticRegression with penalty="elasticnet", C = 1 / (λ·W),
// l1_ratio = α, sample weights = counts; the intercept is not penalised):
//   (1/W) Σ_p [pos_p·log(1 + e^−η_p) + neg_p·log(1 + e^η_p)] + λ·(α·‖β‖₁ + (1 − α)/2·‖β‖²)
// where W is the number of leads and η_p = β₀ + x_p·β. Solved by proximal Newton steps (a
// weighted least-squares model of the loss, minimised by cyclic coordinate descent as glmnet
// does) with a backtracking line search on the true objective, so every step lowers it.

export interface Pattern {
  /** Indices of the features that are not zero, and their values. */
  idx: number[];
  val: number[];
  pos: number;
  neg: number;
}

export interface Design {
  patterns: Pattern[];
  nFeatures: number;
}

export interface FitOptions {
  lambda: number;
  /** 1 = lasso, 0 = ridge. */
  alpha: number;
  tol?: number;
  maxOuter?: number;
  /** Coordinate-descent sweeps per Newton step at most (a path can stop early). */
  maxSweeps?: number;
  /** Features allowed to be non-zero (all when absent): a refit on a chosen set. */
  allowed?: ReadonlySet<number>;
  /** Stop once a Newton step lowers the objective by less than this share of it (default:
   * only when it no longer moves). A path only chooses features (the refit sets the weights),
   * so it can stop much earlier than an exact fit. */
  relDrop?: number;
}

export interface Fit {
  intercept: number;
  coef: Float64Array;
  objective: number;
  iterations: number;
}

interface Columns {
  rows: Int32Array[];
  vals: Float64Array[];
}

function toColumns(d: Design): Columns {
  const counts = new Array<number>(d.nFeatures).fill(0);
  for (const p of d.patterns) for (const j of p.idx) counts[j]!++;
  const rows = counts.map((c) => new Int32Array(c));
  const vals = counts.map((c) => new Float64Array(c));
  const fill = new Array<number>(d.nFeatures).fill(0);
  d.patterns.forEach((p, i) => {
    for (let k = 0; k < p.idx.length; k++) {
      const j = p.idx[k]!;
      rows[j]![fill[j]!] = i;
      vals[j]![fill[j]!++] = p.val[k]!;
    }
  });
  return { rows, vals };
}

const log1pexp = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

function linear(d: Design, b0: number, beta: Float64Array, out: Float64Array): void {
  d.patterns.forEach((p, i) => {
    let e = b0;
    for (let k = 0; k < p.idx.length; k++) e += beta[p.idx[k]!]! * p.val[k]!;
    out[i] = e;
  });
}

function objective(d: Design, eta: Float64Array, beta: Float64Array, W: number, lambda: number, alpha: number): number {
  let loss = 0;
  d.patterns.forEach((p, i) => {
    loss += p.pos * log1pexp(-eta[i]!) + p.neg * log1pexp(eta[i]!);
  });
  let l1 = 0;
  let l2 = 0;
  for (const b of beta) {
    l1 += Math.abs(b);
    l2 += b * b;
  }
  return loss / W + lambda * (alpha * l1 + ((1 - alpha) / 2) * l2);
}

const soft = (z: number, g: number) => (z > g ? z - g : z < -g ? z + g : 0);

export function totalsOf(d: Design): { pos: number; neg: number; W: number } {
  let pos = 0;
  let neg = 0;
  for (const p of d.patterns) {
    pos += p.pos;
    neg += p.neg;
  }
  return { pos, neg, W: pos + neg };
}

/** Fits at one λ, from `warm` when given (a path reuses the previous solution). */
export function fitLogistic(d: Design, opts: FitOptions, warm?: { intercept: number; coef: Float64Array }, cols: Columns = toColumns(d)): Fit {
  const { W, pos } = totalsOf(d);
  const P = d.patterns.length;
  const { lambda, alpha } = opts;
  const tol = opts.tol ?? 1e-9;
  const l1 = lambda * alpha;
  const l2 = lambda * (1 - alpha);
  let b0 = warm ? warm.intercept : Math.log((pos + 0.5) / (W - pos + 0.5));
  let beta = warm ? Float64Array.from(warm.coef) : new Float64Array(d.nFeatures);
  const eta = new Float64Array(P);
  const w = new Float64Array(P);
  const r = new Float64Array(P);
  linear(d, b0, beta, eta);
  let f = objective(d, eta, beta, W, lambda, alpha);
  let iterations = 0;
  const maxOuter = opts.maxOuter ?? 200;
  for (let outer = 0; outer < maxOuter; outer++) {
    iterations++;
    // The weighted least-squares model of the loss at the current point.
    let sw = 0;
    d.patterns.forEach((p, i) => {
      const n = p.pos + p.neg;
      const pr = 1 / (1 + Math.exp(-eta[i]!));
      const v = Math.max(pr * (1 - pr), 1e-6);
      w[i] = (n * v) / W;
      r[i] = (p.pos - n * pr) / (n * v);
      sw += w[i]!;
    });
    const xw1 = new Float64Array(d.nFeatures);
    const xw2 = new Float64Array(d.nFeatures);
    for (let j = 0; j < d.nFeatures; j++) {
      const rows = cols.rows[j]!;
      const vals = cols.vals[j]!;
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < rows.length; k++) {
        const wx = w[rows[k]!]! * vals[k]!;
        s1 += wx;
        s2 += wx * vals[k]!;
      }
      xw1[j] = s1;
      xw2[j] = s2;
    }
    let nb0 = b0;
    const nbeta = Float64Array.from(beta);
    // Coordinate descent over the features centred on their weighted means, as glmnet does: the
    // objective is the same (the intercept is free and absorbs the means) but a feature no
    // longer pulls against the intercept, so the sweeps settle in a few rounds instead of
    // hundreds. Centring is implicit, to keep the columns sparse: the residual of pattern i is
    // r[i] − shift, and a centred update moves `shift` and the intercept by the mean's part.
    // `swr` (Σ w·r) is kept up to date, so a sweep costs the non-zero cells it visits.
    const mean = new Float64Array(d.nFeatures);
    const cxw2 = new Float64Array(d.nFeatures);
    for (let j = 0; j < d.nFeatures; j++) {
      mean[j] = xw1[j]! / sw;
      cxw2[j] = Math.max(0, xw2[j]! - sw * mean[j]! * mean[j]!);
    }
    let shift = 0;
    let swr = 0;
    for (let i = 0; i < P; i++) swr += w[i]! * r[i]!;
    // A full sweep, then sweeps over the non-zero coefficients only until they settle, then a
    // full sweep again to see if any other enters.
    const sweep = (activeOnly: boolean): number => {
      const d0 = (swr - shift * sw) / sw;
      nb0 += d0;
      shift += d0;
      let maxDelta = Math.abs(d0) * Math.sqrt(sw);
      for (let j = 0; j < d.nFeatures; j++) {
        if (cxw2[j]! <= 1e-300 || (opts.allowed && !opts.allowed.has(j)) || (activeOnly && nbeta[j] === 0)) continue;
        const rows = cols.rows[j]!;
        const vals = cols.vals[j]!;
        let g = 0;
        for (let k = 0; k < rows.length; k++) g += w[rows[k]!]! * vals[k]! * r[rows[k]!]!;
        // Σ w·(x − mean)·(r − shift), of which Σ w·(r − shift) is 0 after the intercept's update.
        g -= shift * xw1[j]! + mean[j]! * (swr - shift * sw);
        const old = nbeta[j]!;
        const nv = soft(g + cxw2[j]! * old, l1) / (cxw2[j]! + l2);
        const delta = nv - old;
        if (delta === 0) continue;
        nbeta[j] = nv;
        for (let k = 0; k < rows.length; k++) r[rows[k]!] = r[rows[k]!]! - delta * vals[k]!;
        swr -= delta * xw1[j]!;
        shift -= delta * mean[j]!;
        nb0 -= delta * mean[j]!;
        maxDelta = Math.max(maxDelta, Math.abs(delta) * Math.sqrt(cxw2[j]!));
      }
      return maxDelta;
    };
    const maxSweeps = opts.maxSweeps ?? 10_000;
    for (let round = 0, sweeps = 0; round < 100 && sweeps < maxSweeps; round++) {
      sweeps++;
      if (sweep(false) < tol) break;
      for (; sweeps < maxSweeps; sweeps++) if (sweep(true) < tol) break;
    }
    // Backtracking on the true objective along the Newton direction.
    const dir = new Float64Array(d.nFeatures);
    for (let j = 0; j < d.nFeatures; j++) dir[j] = nbeta[j]! - beta[j]!;
    const d0 = nb0 - b0;
    let t = 1;
    let accepted = false;
    const cand = new Float64Array(d.nFeatures);
    const candEta = new Float64Array(P);
    let fNew = f;
    for (let ls = 0; ls < 30; ls++) {
      for (let j = 0; j < d.nFeatures; j++) cand[j] = beta[j]! + t * dir[j]!;
      linear(d, b0 + t * d0, cand, candEta);
      fNew = objective(d, candEta, cand, W, lambda, alpha);
      if (fNew <= f + 1e-15) {
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
    let change = Math.abs(t * d0);
    for (let j = 0; j < d.nFeatures; j++) change = Math.max(change, Math.abs(t * dir[j]!));
    b0 += t * d0;
    beta = Float64Array.from(cand);
    eta.set(candEta);
    const drop = f - fNew;
    f = fNew;
    if (change < 1e-8 || drop < 1e-14 || drop < (opts.relDrop ?? 0) * Math.abs(f)) break;
  }
  return { intercept: b0, coef: beta, objective: f, iterations };
}

/** The smallest λ at which every coefficient is zero (for this α). */
export function lambdaMax(d: Design, alpha: number): number {
  const { pos, W } = totalsOf(d);
  const p0 = pos / W;
  const g = new Float64Array(d.nFeatures);
  for (const p of d.patterns) {
    const resid = p.pos - (p.pos + p.neg) * p0;
    for (let k = 0; k < p.idx.length; k++) g[p.idx[k]!] = g[p.idx[k]!]! + p.val[k]! * resid;
  }
  let m = 0;
  for (const x of g) m = Math.max(m, Math.abs(x) / W);
  return m / Math.max(alpha, 1e-3);
}

export interface PathStep {
  lambda: number;
  fit: Fit;
  nonZero: number;
}

/**
 * The regularisation path from λmax down (geometric, `steps` values to λmax·ratio), each fit
 * started from the previous one, stopping once more than `maxNonZero` coefficients are non-zero.
 * Returns the steps with at most `maxNonZero`.
 */
export function lassoPath(d: Design, opts: { alpha: number; maxNonZero: number; steps?: number; ratio?: number; tol?: number }): PathStep[] {
  const cols = toColumns(d);
  const steps = opts.steps ?? 40;
  const ratio = opts.ratio ?? 1e-3;
  const top = lambdaMax(d, opts.alpha);
  const usable = cols.rows.filter((r) => r.length > 0).length;
  const out: PathStep[] = [];
  let warm: Fit | undefined;
  for (let s = 0; s < steps; s++) {
    const lambda = top * Math.pow(ratio, s / (steps - 1));
    const fit = fitLogistic(d, { lambda, alpha: opts.alpha, tol: opts.tol ?? 1e-4, maxOuter: 25, maxSweeps: 50, relDrop: 1e-7 }, warm, cols);
    const nonZero = fit.coef.reduce((n, b) => n + (b !== 0 ? 1 : 0), 0);
    if (nonZero > opts.maxNonZero) break;
    out.push({ lambda, fit, nonZero });
    warm = fit;
    // Every feature that can carry weight is in: smaller penalties only move the weights,
    // which the refit after the path sets anyway.
    if (nonZero === usable) break;
  }
  return out;
}

/** The predicted conversion probability of a pattern. */
export function predict(fit: { intercept: number; coef: ArrayLike<number> }, p: Pick<Pattern, 'idx' | 'val'>): number {
  let e = fit.intercept;
  for (let k = 0; k < p.idx.length; k++) e += fit.coef[p.idx[k]!]! * p.val[k]!;
  return 1 / (1 + Math.exp(-e));
}

/**
 * Newton's method on the chosen features only, with a ridge penalty λ/2·‖β‖² (intercept free):
 * the refit after the path has chosen the features. A few dense (k+1)×(k+1) solves, so exact
 * and fast for the few dozen features a rules file holds.
 */
export function fitRidgeNewton(d: Design, features: readonly number[], lambda: number, maxIter = 50): Fit {
  const k = features.length + 1;
  const pos = new Map(features.map((j, i) => [j, i + 1]));
  const { W, pos: P1 } = totalsOf(d);
  const theta = new Float64Array(k);
  theta[0] = Math.log((P1 + 0.5) / (W - P1 + 0.5));
  // Each pattern's chosen features, as positions in theta.
  const rows = d.patterns.map((p) => {
    const at: number[] = [];
    const v: number[] = [];
    p.idx.forEach((j, n) => {
      const q = pos.get(j);
      if (q !== undefined) {
        at.push(q);
        v.push(p.val[n]!);
      }
    });
    return { at, v, pos: p.pos, n: p.pos + p.neg };
  });
  const obj = (t: Float64Array): number => {
    let loss = 0;
    for (const r of rows) {
      let e = t[0]!;
      for (let m = 0; m < r.at.length; m++) e += t[r.at[m]!]! * r.v[m]!;
      loss += r.pos * log1pexp(-e) + (r.n - r.pos) * log1pexp(e);
    }
    let l2 = 0;
    for (let i = 1; i < k; i++) l2 += t[i]! * t[i]!;
    return loss / W + (lambda / 2) * l2;
  };
  let f = obj(theta);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations++;
    const g = new Float64Array(k);
    const H = Array.from({ length: k }, () => new Float64Array(k));
    for (const r of rows) {
      let e = theta[0]!;
      for (let m = 0; m < r.at.length; m++) e += theta[r.at[m]!]! * r.v[m]!;
      const p = 1 / (1 + Math.exp(-e));
      const resid = (r.n * p - r.pos) / W;
      const w = (r.n * p * (1 - p)) / W;
      g[0] = g[0]! + resid;
      H[0]![0] = H[0]![0]! + w;
      for (let a = 0; a < r.at.length; a++) {
        const ia = r.at[a]!;
        const va = r.v[a]!;
        g[ia] = g[ia]! + resid * va;
        H[0]![ia] = H[0]![ia]! + w * va;
        const row = H[ia]!;
        for (let b = 0; b < r.at.length; b++) row[r.at[b]!] = row[r.at[b]!]! + w * va * r.v[b]!;
      }
    }
    for (let i = 1; i < k; i++) {
      g[i] = g[i]! + lambda * theta[i]!;
      H[i]![i] = H[i]![i]! + lambda;
      H[i]![0] = H[0]![i]!;
    }
    const step = solve(H, g);
    let t = 1;
    let next = theta;
    let fNext = f;
    for (let ls = 0; ls < 30; ls++) {
      next = theta.map((x, i) => x - t * step[i]!);
      fNext = obj(next);
      if (fNext <= f + 1e-15) break;
      t /= 2;
    }
    if (!(fNext <= f + 1e-15)) break;
    const change = Math.max(...step.map((x) => Math.abs(t * x)));
    theta.set(next);
    f = fNext;
    if (change < 1e-10) break;
  }
  const coef = new Float64Array(d.nFeatures);
  features.forEach((j, i) => (coef[j] = theta[i + 1]!));
  return { intercept: theta[0]!, coef, objective: f, iterations };
}

/** Solves H x = g by Gaussian elimination with partial pivoting (H is small and positive
 * definite with the ridge term; a tiny diagonal is added should a pivot vanish). */
function solve(H: Float64Array[], g: Float64Array): Float64Array {
  const n = g.length;
  const A = H.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < n; c++) {
    let best = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[best]![c]!)) best = r;
    [A[c], A[best]] = [A[best]!, A[c]!];
    if (Math.abs(A[c]![c]!) < 1e-14) A[c]![c] = 1e-14;
    for (let r = c + 1; r < n; r++) {
      const m = A[r]![c]! / A[c]![c]!;
      if (m === 0) continue;
      for (let q = c; q <= n; q++) A[r]![q] = A[r]![q]! - m * A[c]![q]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = A[r]![n]!;
    for (let q = r + 1; q < n; q++) s -= A[r]![q]! * x[q]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}
