// Where things are: the source tree, the build's myaccountctl and module, the browser, the output.
// ctest passes them as environment variables (tests/CMakeLists.txt); by hand the defaults are the
// source tree around this folder and its build/ (or $BUILD_DIR).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const sourceDir = path.resolve(process.env.MYACCOUNT_SOURCE_DIR || path.join(here, '..', '..', '..'));
const buildDir = path.resolve(process.env.BUILD_DIR || path.join(sourceDir, 'build'));
export const modulePath = process.env.MYACCOUNT_MODULE_PATH || path.join(buildDir, 'mod_myaccount.so');
export const ctlPath = process.env.MYACCOUNT_CTL_PATH || path.join(buildDir, 'myaccountctl');
export const chromiumPath = process.env.MYACCOUNT_CHROMIUM || '/usr/bin/chromium';
export const outputDir = path.resolve(process.env.MYACCOUNT_BROWSER_OUTPUT || path.join(here, '..', 'output'));
export const testServerScript = path.join(sourceDir, 'scripts', 'test-server');
