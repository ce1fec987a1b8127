import * as path from 'node:path';
import Mocha from 'mocha';

/** Entry point the extension host calls (extensionTestsPath): runs the suites with mocha. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000 });
  mocha.addFile(path.join(__dirname, 'extension.suite.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension tests failed`)) : resolve()));
  });
}
