// A control group's CPU quota (src/io/cpu-quota.ts): the files' text parsed table-driven, then
// a real cgroup with a quota of one core, where a run must plan one thread although
// os.availableParallelism() still counts every core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupDirs, coresFromCfs, coresFromCpuMax, parseCgroupMounts, parseProcCgroup } from '../../src/io/cpu-quota.js';

const root = join(import.meta.dirname, '..', '..');

describe('parsing the cgroup files', () => {
  it.each([
    ['no quota', 'max 100000\n', null],
    ['one core', '100000 100000\n', 1],
    ['one and a half', '150000 100000', 1.5],
    ['a quarter, another period', '25000 100000', 0.25],
    ['the period left out (the kernel default)', '200000', 2],
    ['garbage', 'x y', null],
    ['empty', '', null],
  ] as const)('cpu.max: %s', (_name, text, cores) => {
    expect(coresFromCpuMax(text)).toBe(cores);
  });

  it.each([
    ['no quota', '-1\n', '100000\n', null],
    ['one core', '100000\n', '100000\n', 1],
    ['two cores, a short period', '20000', '10000', 2],
    ['a zero period', '100000', '0', null],
  ] as const)('cpu.cfs_quota_us / cpu.cfs_period_us: %s', (_name, quota, period, cores) => {
    expect(coresFromCfs(quota, period)).toBe(cores);
  });

  it('/proc/self/cgroup: the unified path and the v1 cpu path', () => {
    expect(parseProcCgroup('0::/user.slice/session-3.scope\n')).toEqual({ v2: '/user.slice/session-3.scope', v1cpu: null });
    expect(parseProcCgroup('12:memory:/a\n4:cpu,cpuacct:/docker/abc\n0::/\n')).toEqual({ v2: '/', v1cpu: '/docker/abc' });
    expect(parseProcCgroup('1:cpu:/qtest\n2:cpuacct:/\n')).toEqual({ v2: null, v1cpu: '/qtest' });
    expect(parseProcCgroup('')).toEqual({ v2: null, v1cpu: null });
  });

  it('/proc/self/mountinfo: cgroup2, v1 with the cpu controller (not the others), escaped paths', () => {
    const text = [
      '30 24 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate',
      '31 24 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
      '32 24 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
      '33 24 0:29 /docker/abc /sys/fs/cgroup/my\\040cpu rw - cgroup cgroup rw,cpu',
      '34 24 8:1 / / rw - ext4 /dev/vda rw',
    ].join('\n');
    expect(parseCgroupMounts(text)).toEqual([
      { version: 2, root: '/', mountPoint: '/sys/fs/cgroup/unified' },
      { version: 1, root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct' },
      { version: 1, root: '/docker/abc', mountPoint: '/sys/fs/cgroup/my cpu' },
    ]);
  });

  it.each([
    ['a nested group: it and its ancestors, deepest first', { version: 2, root: '/', mountPoint: '/sys/fs/cgroup' }, '/a/b', ['/sys/fs/cgroup/a/b', '/sys/fs/cgroup/a', '/sys/fs/cgroup']],
    ['the root group', { version: 2, root: '/', mountPoint: '/sys/fs/cgroup' }, '/', ['/sys/fs/cgroup']],
    ['a container whose own group is mounted as the root', { version: 1, root: '/docker/abc', mountPoint: '/sys/fs/cgroup/cpu' }, '/docker/abc', ['/sys/fs/cgroup/cpu']],
    ['a path outside the mounted root: the mount point only', { version: 1, root: '/docker/abc', mountPoint: '/sys/fs/cgroup/cpu' }, '/other', ['/sys/fs/cgroup/cpu']],
  ] as const)('cgroupDirs: %s', (_name, mount, path, dirs) => {
    expect(cgroupDirs(mount, path)).toEqual(dirs);
  });
});

// A real control group needs root and a writable cpu hierarchy (v1 here; v2 where the cpu
// controller is enabled for children).
const V1 = '/sys/fs/cgroup/cpu';
const V2 = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : null;
const canMakeGroup = process.getuid?.() === 0 && (existsSync(join(V1, 'cpu.cfs_quota_us')) || V2 !== null);

describe.skipIf(!canMakeGroup)('a real control group with a quota of one core (needs root and a cgroup cpu hierarchy)', () => {
  it('cpuQuotaCores reads 1, and a large file is planned one thread', () => {
    const group = join(existsSync(join(V1, 'cpu.cfs_quota_us')) ? V1 : V2!, `qualify-test-${process.pid}`);
    mkdirSync(group);
    try {
      if (group.startsWith(V1)) {
        writeFileSync(join(group, 'cpu.cfs_period_us'), '100000');
        writeFileSync(join(group, 'cpu.cfs_quota_us'), '100000');
      } else writeFileSync(join(group, 'cpu.max'), '100000 100000');
      const script = `
        const { cpuQuotaCores } = await import(${JSON.stringify(join(root, 'dist/io/cpu-quota.js'))});
        const { planThreads, machineView } = await import(${JSON.stringify(join(root, 'dist/pipeline/thread-plan.js'))});
        const m = machineView(null);
        console.log(JSON.stringify({ quota: cpuQuotaCores(), cores: m.cores, plan: planThreads(200e6, undefined, m) }));`;
      // The shell moves itself into the group, then becomes node (children inherit the group).
      const r = spawnSync('sh', ['-c', `echo $$ > ${join(group, 'cgroup.procs')} && exec "$0" --input-type=module -e "$1"`, process.execPath, script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const seen = JSON.parse(r.stdout) as { quota: number; cores: number; plan: { worker: boolean; why: string } };
      expect(seen.quota).toBe(1);
      expect(seen.cores).toBe(availableParallelism());
      expect(seen.plan).toMatchObject({ worker: false, why: 'a CPU quota of 1 core' });
    } finally {
      rmdirSync(group);
    }
  });

});
