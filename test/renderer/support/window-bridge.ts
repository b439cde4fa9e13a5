import type { Page } from 'playwright-core';

/**
 * The Electron window's `window.edgeAgent` (main/src/preload-bridge.ts) played in a browser page:
 * call() goes over HTTP to the same fake (with `person` as the acting user, as main sends its OS user),
 * on() hears nothing, and saveFile(name, bytes) keeps what it was handed (windowSaves) and answers
 * as main would: saved to a path in Downloads, or the answer a test queued (answerNextSave).
 */
export function windowBridgeScript(person: string): string {
  return `(() => {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const saves = [];
  const answers = [];
  window.__windowSaves = saves;
  window.__saveAnswers = answers;
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  window.edgeAgent = {
    call: (command, input) =>
      fetch('/api/commands/' + encodeURIComponent(command), {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', 'x-edge-agent-user': ${JSON.stringify(encodeURIComponent(person))} },
        body: JSON.stringify(input ?? {}),
      }).then((r) => r.json()),
    on: () => () => undefined,
    saveFile: async (...args) => {
      const [name, bytes] = args;
      saves.push({ args: args.length, name, bytes: bytes instanceof Uint8Array ? base64(bytes) : null });
      return answers.length > 0 ? answers.shift() : { saved: true, path: 'C:\\\\Users\\\\lan\\\\Downloads\\\\' + name };
    },
  };
})()`;
}

/** What the page handed saveFile, in order: the number of arguments, the name, the bytes (null: not a Uint8Array). */
export async function windowSaves(page: Page): Promise<{ args: number; name: unknown; bytes: Buffer | null }[]> {
  const saves = (await page.evaluate('window.__windowSaves')) as { args: number; name: unknown; bytes: string | null }[];
  return saves.map((s) => ({ ...s, bytes: s.bytes === null ? null : Buffer.from(s.bytes, 'base64') }));
}

/** main's answer to the page's next saveFile (main/src/save-file.ts's SaveFileAnswer). */
export async function answerNextSave(page: Page, answer: unknown): Promise<void> {
  await page.evaluate(`window.__saveAnswers.push(${JSON.stringify(answer)})`);
}
