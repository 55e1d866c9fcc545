// `liveobjects serve --open`: hands the URL to the desktop's default browser, best effort.
import { spawn } from 'node:child_process';

export function openBrowser(url: string, log: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` would parse the URL as shell text; the URL handler takes it verbatim.
          ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.once('error', (error) =>
    log(`Could not open a browser (${error.message}); open the URL above yourself.`),
  );
  child.unref();
}
