// A real terminal for end-to-end tests: a detached tmux session of a fixed size runs the built
// CLI; tests type into it with `send-keys` and read the screen with `capture-pane`. Every wait
// polls the screen for the text expected next, bounded by a timeout, so the tests are as fast as
// the machine allows and fail with the screen in the message instead of hanging.
//
// Each session gets its own tmux server (`-S`, a socket in the temp directory named after the
// process and the session) started with no config file (`-f /dev/null`), so neither the user's
// tmux nor their ~/.tmux.conf is touched. A server shared by a file's sessions exits with its last
// session, and a `new-session` sent while it is still exiting fails with "server exited
// unexpectedly": one server a session has no such race. kill() stops it; stopServer() in afterAll
// stops any a failed test left.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tmux is on PATH and runs. */
export function tmuxAvailable(): boolean {
  const r = spawnSync('tmux', ['-V'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Quotes a word for the shell tmux runs the command with. */
export function shellQuote(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  /** Milliseconds before giving up (default 15 s: generous for a loaded 2-core machine). */
  timeout?: number;
}

const liveSockets = new Set<string>();

function killServer(socket: string): void {
  spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
  rmSync(socket, { force: true });
  liveSockets.delete(socket);
}

/** Stops every tmux server this process started that still runs, and removes its socket (tmux
 * leaves it behind). */
export function stopServer(): void {
  for (const socket of [...liveSockets]) killServer(socket);
}

export class TmuxSession {
  private static seq = 0;
  readonly name = `qualify-${process.pid}-${Math.random().toString(36).slice(2, 8)}-${++TmuxSession.seq}`;
  readonly socket = join(tmpdir(), `${this.name}.sock`);
  private started = false;

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /**
   * Runs `command` (a shell command line) in a new detached session of `width`×`height`. After
   * it ends the pane prints `EXIT:<code>` and stays open a while, so the last screen and the exit
   * code can still be read (see exitCode()).
   */
  start(command: string, opts: { cwd: string; width?: number; height?: number }): this {
    const line = `${command}; echo EXIT:$?; sleep 120`;
    liveSockets.add(this.socket);
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), '-c', opts.cwd, line);
    this.started = true;
    return this;
  }

  /** Key names as tmux knows them: Enter, Space, Up, Down, BSpace, C-c... */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Literal text, as if typed (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Everything the pane shows and has scrolled off, wrapped lines joined, without colour codes
   * and without the blank lines below the last output. */
  screen(): string {
    const text = this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name);
    return text.replace(/\s+$/, '') + '\n';
  }

  /** Only what is on screen now (the terminal's rows), as a person would see it. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name).replace(/\s+$/, '') + '\n';
  }

  /** Waits until the screen contains `what` (a substring or a pattern); returns the screen. */
  async waitFor(what: string | RegExp, opts: WaitOptions = {}): Promise<string> {
    const timeout = opts.timeout ?? 15_000;
    const deadline = Date.now() + timeout;
    let screen = '';
    for (;;) {
      screen = this.screen();
      if (typeof what === 'string' ? screen.includes(what) : what.test(screen)) {
        // Inquirer renders a prompt and attaches its key handler in the same tick, so keys sent
        // from here on are seen; a moment's grace covers a machine that is busy elsewhere.
        await sleep(40);
        return screen;
      }
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    throw new Error(`the terminal never showed ${String(typeof what === 'string' ? JSON.stringify(what) : what)} within ${timeout} ms; the screen:\n${screen}`);
  }

  /**
   * Waits for the active prompt (Inquirer marks it "? "; an answered one "✔ ") and answers it:
   * `text` typed literally, then `keys` (default Enter).
   */
  async answer(prompt: string, text: string | null, ...keys: string[]): Promise<string> {
    const screen = await this.waitFor(`? ${prompt}`);
    if (text !== null && text !== '') this.type(text);
    this.keys(...(keys.length ? keys : ['Enter']));
    return screen;
  }

  /** Waits for the command to end; its exit status. */
  async exitCode(opts: WaitOptions = {}): Promise<number> {
    const screen = await this.waitFor(/^EXIT:\d+$/m, opts);
    return Number(/^EXIT:(\d+)$/m.exec(screen)![1]);
  }

  kill(): void {
    if (!this.started) return;
    this.started = false;
    killServer(this.socket);
  }
}
