import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/platform/project-root';
import { toolsOf } from '../../src/stack/binaries';

/**
 * veraPDF's verdict on a PDF as PDF/UA-1: `PASS <file>`, or `FAIL <file>` followed by the rules
 * it breaks. The jar is provisioned by scripts/provision-verapdf.sh (`make test`).
 */
export async function pdfUaVerdict(file: string): Promise<string> {
  const { versions, tools } = toolsOf(projectRoot());
  const jar = path.join(tools, `verapdf-${versions.VERAPDF_VERSION}`, 'greenfield-apps.jar');
  const args = ['-cp', jar, 'org.verapdf.apps.GreenfieldCliWrapper', '-f', 'ua1', '--format', 'text', '--verbose', file];
  // veraPDF exits non-zero for a document that fails; its verdict is still on stdout.
  const out = await promisify(execFile)('java', args, { maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string; message: string }) => ({ stdout: err.stdout || err.message }));
  return out.stdout.trim();
}
