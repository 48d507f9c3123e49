import fs from 'node:fs';
import path from 'node:path';

/** The folder of lisplan's package.json, found from this file's place in src/ or dist/src/. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'lisplan') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the lisplan project root above ' + from);
    dir = up;
  }
}
