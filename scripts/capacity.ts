/**
 * `npm run capacity`: docs/capacity.md from the newest complete bench run.
 *
 *   node dist/scripts/capacity.js [bench/results/<run>.json] [--out docs/capacity.md]
 *
 * Without a file it takes the newest run under bench/results/ that is complete and has every
 * row the computation needs. Without --out it writes the Markdown to stdout. A missing row or
 * figure is one line on stderr and exit code 1. The computation is scripts/capacity-model.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OperatorError } from '../src/platform/errors';
import { runMain } from '../src/platform/main-guard';
import { projectRoot } from '../src/platform/project-root';
import { benchSizes } from '../bench/sizes';
import { computeCapacity, measuredFrom, MissingBenchFigure, renderCapacity, type BenchRun, type Measured } from './capacity-model';

runMain('capacity', async () => {
  const { file, out } = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  const { path: chosen, measured } = file ? readRun(path.resolve(file)) : newestUsableRun(path.join(root, 'bench', 'results'));
  const markdown = renderCapacity(computeCapacity(measured), { file: path.relative(root, chosen), defaults: benchSizes({}) });
  if (out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(path.resolve(out), markdown);
    process.stderr.write(`capacity: wrote ${out} from ${path.relative(root, chosen)}\n`);
  } else {
    process.stdout.write(markdown);
  }
});

function parseArgs(args: string[]): { file?: string; out?: string } {
  let file: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out') {
      out = args[++i];
      if (!out) throw new OperatorError('--out needs a file name');
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
    } else if (a.startsWith('-')) {
      throw new OperatorError(`unknown option ${a}; usage: capacity [bench.json] [--out docs/capacity.md]`);
    } else if (file) {
      throw new OperatorError(`one bench file only, got ${file} and ${a}`);
    } else {
      file = a;
    }
  }
  return { ...(file ? { file } : {}), ...(out ? { out } : {}) };
}

function readRun(file: string): { path: string; measured: Measured } {
  return { path: file, measured: measure(file, parseRun(file)) };
}

function parseRun(file: string): BenchRun {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchRun;
  } catch (err) {
    throw new OperatorError(`${file}: ${(err as Error).message}`);
  }
}

function measure(file: string, run: BenchRun): Measured {
  try {
    return measuredFrom(run);
  } catch (err) {
    if (err instanceof MissingBenchFigure) throw new OperatorError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The newest run that is complete and has what the computation needs. */
function newestUsableRun(dir: string): { path: string; measured: Measured } {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  // The names are ISO timestamps: newest first in reverse name order.
  files.sort().reverse();
  if (files.length === 0) throw new OperatorError(`no bench runs in ${dir}: run \`make bench\` first`);
  let newestReason: string | undefined;
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      const run = parseRun(file);
      if (run.complete !== true) throw new OperatorError(`${file}: the run is not complete`);
      return { path: file, measured: measure(file, run) };
    } catch (err) {
      if (!(err instanceof OperatorError)) throw err;
      newestReason ??= err.message;
    }
  }
  throw new OperatorError(`no complete bench run in ${dir} has the rows capacity needs; the newest, ${newestReason}`);
}
