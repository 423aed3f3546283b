// Drives Debian's headless Chromium to play one asset with play.html and prints what the player reported as
// one JSON line: { playing, currentTime, fatal, errors, buffered } (and with --subtitles 1, subtitleTracks and
// subtitleCues, and it also waits for a cue to show). It stops as soon as the video clock passes
// --until seconds, a fatal error is reported, or the deadline passes (then "timedOut": true); never sleeps.
//
//   node play.mjs --page http://127.0.0.1:P/play.html --player hls|dash --src http://127.0.0.1:Q/{asset}.m3u8
//                 [--until 2] [--timeout 30000] [--chromium /usr/bin/chromium] [--subtitles 1]
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const until = Number(args.until ?? 2);
const timeout = Number(args.timeout ?? 30000);
const subtitles = args.subtitles === '1';

const browser = await chromium.launch({
  executablePath: args.chromium ?? '/usr/bin/chromium',
  headless: true,
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
});
let result;
try {
  const page = await browser.newPage();
  const console = [];
  page.on('console', (message) => { if (message.type() === 'error' || process.env.PLAY_DEBUG) console.push(message.text()); });
  page.on('pageerror', (error) => console.push(String(error)));
  const url = `${args.page}?player=${encodeURIComponent(args.player)}&src=${encodeURIComponent(args.src)}${process.env.PLAY_DEBUG ? '&debug=1' : ''}${subtitles ? '&subtitles=1' : ''}`;
  await page.goto(url, { timeout });
  let timedOut = false;
  try {
    await page.waitForFunction(
      ([t, cues]) => window.playback && (window.playback.fatal !== null
        || (window.playback.currentTime > t && (!cues || window.playback.subtitleCues.length > 0))),
      [until, subtitles], { timeout, polling: 50 });
  } catch (error) {
    if (error.name !== 'TimeoutError') throw error;
    timedOut = true;
  }
  result = { ...(await page.evaluate(() => window.playback)), timedOut, console };
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
