// What play.mjs reads: the player's errors (fatal or not, by their own names), the first buffered range of
// each SourceBuffer, and the video element's clock.
'use strict';
const playback = { player: '', errors: [], fatal: null, buffered: {}, currentTime: 0, playing: false };
window.playback = playback;

const params = new URLSearchParams(location.search);
const video = document.getElementById('video');
playback.player = params.get('player');
const src = params.get('src');

video.addEventListener('playing', () => { playback.playing = true; });
video.addEventListener('timeupdate', () => { playback.currentTime = video.currentTime; });
video.addEventListener('error', () => {
  playback.fatal = playback.fatal || `video element: ${video.error && video.error.message}`;
});

// The start of the first buffered range per track (what a gap at the start would show).
function noteBuffered(type, ranges) {
  if (ranges && ranges.length > 0 && !(type in playback.buffered)) {
    playback.buffered[type] = ranges.start(0);
  }
}

if (playback.player === 'hls') {
  const hls = new Hls({ enableWorker: true, debug: !!params.get('debug') });
  hls.on(Hls.Events.ERROR, (_, data) => {
    playback.errors.push(data.details);
    if (data.fatal) {
      playback.fatal = `${data.type}: ${data.details}`;
    }
  });
  hls.on(Hls.Events.BUFFER_APPENDED, (_, data) => {
    for (const [type, ranges] of Object.entries(data.timeRanges || {})) {
      noteBuffered(type, ranges);
    }
  });
  hls.loadSource(src);
  hls.attachMedia(video);
} else if (playback.player === 'dash') {
  const dash = dashjs.MediaPlayer().create();
  dash.on(dashjs.MediaPlayer.events.ERROR, (e) => {
    const error = e.error || {};
    playback.errors.push(String(error.code || error.message || 'error'));
    playback.fatal = `dash.js: ${error.code} ${error.message}`;
  });
  dash.initialize(video, src, true);
} else {
  playback.fatal = `unknown player '${playback.player}'`;
}
