// The CPU time this process may use, from its control group's quota (cgroup v2 `cpu.max`, v1
// `cpu.cfs_quota_us` / `cpu.cfs_period_us`): a container started with `--cpus=1`, a systemd
// unit with `CPUQuota=100%` or a CI runner's slice sees every core of the machine in
// os.availableParallelism() (Node 20's libuv reads the CPU affinity, not the quota), yet two
// threads share one core's worth of time there, and a worker thread only adds the cost of the
// hand-over (1.26x one thread's wall time, measured in bench/README.md). The same idea as Go's
// automaxprocs and the JVM's container support; a few parsers over three small files, so no
// library for it.
//
// The parsers are pure (tested on the files' text); cpuQuotaCores reads /proc and /sys and
// gives null wherever any of it is missing (not Linux, no cgroup mounted, no quota set).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** A cgroup hierarchy mounted on this system (from /proc/self/mountinfo). */
export interface CgroupMount {
  /** 2 for the unified hierarchy, 1 for a v1 hierarchy with the `cpu` controller. */
  version: 1 | 2;
  /** The cgroup path mounted there (`/` on a host; a container's own path in some set-ups). */
  root: string;
  /** Where it is mounted. */
  mountPoint: string;
}

/** The cgroup hierarchies that can hold a CPU quota, from /proc/self/mountinfo's text. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    const fstype = right[0];
    const root = unescapeMountPath(left[3] ?? '');
    const mountPoint = unescapeMountPath(left[4] ?? '');
    if (fstype === 'cgroup2') mounts.push({ version: 2, root, mountPoint });
    else if (fstype === 'cgroup' && (right[2] ?? '').split(',').includes('cpu')) mounts.push({ version: 1, root, mountPoint });
  }
  return mounts;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (`\040`). */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** This process's cgroup path in the unified hierarchy (`0::/path`) and in the v1 hierarchy that
 * has the `cpu` controller (`N:cpu,cpuacct:/path`), from /proc/self/cgroup's text. */
export function parseProcCgroup(text: string): { v2: string | null; v1cpu: string | null } {
  let v2: string | null = null;
  let v1cpu: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.slice(0, first) === '0' && controllers === '') v2 = path;
    else if (controllers.split(',').includes('cpu')) v1cpu = path;
  }
  return { v2, v1cpu };
}

/** Cores' worth of time from cgroup v2's `cpu.max` (`max 100000`: none; `150000 100000`: 1.5). */
export function coresFromCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return null;
  return cores(Number(quota), Number(period ?? 100000));
}

/** Cores' worth of time from cgroup v1's quota and period (a quota of -1: none). */
export function coresFromCfs(quotaText: string, periodText: string): number | null {
  return cores(Number(quotaText.trim()), Number(periodText.trim()));
}

function cores(quota: number, period: number): number | null {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return null;
  return quota / period;
}

/** The directories of a cgroup and its ancestors up to the mount point, deepest first: a quota
 * set on a parent (a systemd slice, a pod) limits every group under it. */
export function cgroupDirs(mount: CgroupMount, cgroupPath: string): string[] {
  const rel = relative(mount.root, cgroupPath);
  // A path outside the mounted root (another namespace's view): only the mount point itself.
  const inside = rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
  const dirs: string[] = [];
  let dir = inside ? join(mount.mountPoint, rel) : mount.mountPoint;
  for (;;) {
    dirs.push(dir);
    if (dir === mount.mountPoint || dir.length <= mount.mountPoint.length) break;
    dir = dirname(dir);
  }
  return dirs;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The smallest CPU quota over this process's cgroup and its ancestors, in cores; null when
 * there is none (or it cannot be read). */
export function cpuQuotaCores(): number | null {
  const mountinfo = read('/proc/self/mountinfo');
  const procCgroup = read('/proc/self/cgroup');
  if (mountinfo === null || procCgroup === null) return null;
  const paths = parseProcCgroup(procCgroup);
  let least: number | null = null;
  const consider = (c: number | null) => {
    if (c !== null && (least === null || c < least)) least = c;
  };
  for (const mount of parseCgroupMounts(mountinfo)) {
    const path = mount.version === 2 ? paths.v2 : paths.v1cpu;
    if (path === null) continue;
    for (const dir of cgroupDirs(mount, path)) {
      if (mount.version === 2) {
        const max = read(join(dir, 'cpu.max'));
        if (max !== null) consider(coresFromCpuMax(max));
      } else {
        const quota = read(join(dir, 'cpu.cfs_quota_us'));
        const period = read(join(dir, 'cpu.cfs_period_us'));
        if (quota !== null && period !== null) consider(coresFromCfs(quota, period));
      }
    }
  }
  return least;
}
