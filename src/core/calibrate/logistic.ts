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
  /** Features allowed to be non-zero (all when absent): a refit on a chosen set. */
  allowed?: ReadonlySet<number>;
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
    const xw2 = new Float64Array(d.nFeatures);
    for (let j = 0; j < d.nFeatures; j++) {
      const rows = cols.rows[j]!;
      const vals = cols.vals[j]!;
      let s = 0;
      for (let k = 0; k < rows.length; k++) s += w[rows[k]!]! * vals[k]! * vals[k]!;
      xw2[j] = s;
    }
    let nb0 = b0;
    const nbeta = Float64Array.from(beta);
    for (let sweep = 0; sweep < 1000; sweep++) {
      let maxDelta = 0;
      let s = 0;
      for (let i = 0; i < P; i++) s += w[i]! * r[i]!;
      const d0 = s / sw;
      nb0 += d0;
      for (let i = 0; i < P; i++) r[i] = r[i]! - d0;
      maxDelta = Math.abs(d0) * Math.sqrt(sw);
      for (let j = 0; j < d.nFeatures; j++) {
        if (xw2[j] === 0 || (opts.allowed && !opts.allowed.has(j))) continue;
        const rows = cols.rows[j]!;
        const vals = cols.vals[j]!;
        let g = 0;
        for (let k = 0; k < rows.length; k++) g += w[rows[k]!]! * vals[k]! * r[rows[k]!]!;
        const old = nbeta[j]!;
        const nv = soft(g + xw2[j]! * old, l1) / (xw2[j]! + l2);
        const delta = nv - old;
        if (delta === 0) continue;
        nbeta[j] = nv;
        for (let k = 0; k < rows.length; k++) r[rows[k]!] = r[rows[k]!]! - delta * vals[k]!;
        maxDelta = Math.max(maxDelta, Math.abs(delta) * Math.sqrt(xw2[j]!));
      }
      if (maxDelta < tol) break;
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
    if (change < 1e-8 || drop < 1e-14) break;
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
  const out: PathStep[] = [];
  let warm: Fit | undefined;
  for (let s = 0; s < steps; s++) {
    const lambda = top * Math.pow(ratio, s / (steps - 1));
    const fit = fitLogistic(d, { lambda, alpha: opts.alpha, tol: opts.tol ?? 1e-7 }, warm, cols);
    const nonZero = fit.coef.reduce((n, b) => n + (b !== 0 ? 1 : 0), 0);
    if (nonZero > opts.maxNonZero) break;
    out.push({ lambda, fit, nonZero });
    warm = fit;
  }
  return out;
}

/** The predicted conversion probability of a pattern. */
export function predict(fit: { intercept: number; coef: ArrayLike<number> }, p: Pick<Pattern, 'idx' | 'val'>): number {
  let e = fit.intercept;
  for (let k = 0; k < p.idx.length; k++) e += fit.coef[p.idx[k]!]! * p.val[k]!;
  return 1 / (1 + Math.exp(-e));
}
