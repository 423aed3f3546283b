// What the alternate audio test reads: the audio tracks hls.js lists (name, lang, URL), the track it switched
// to once the default one played a second, and the audio fragments it buffered after the switch, besides
// play.js's errors and video clock. The clock counts only once a fragment of the new track is buffered, so
// play.mjs's --until waits for playback on the new track.
'use strict';
const playback = { player: 'hls', errors: [], fatal: null, buffered: {}, currentTime: 0, playing: false, audioTracks: [], switchedTo: null, audioAfterSwitch: [], newTrackBuffered: false };
window.playback = playback;

const params = new URLSearchParams(location.search);
const video = document.getElementById('video');
const wanted = Number(params.get('track') ?? 1);

video.addEventListener('playing', () => { playback.playing = true; });
let asked = false;
video.addEventListener('timeupdate', () => {
  if (!asked && video.currentTime > 1) {
    asked = true;
    hls.audioTrack = wanted;
  }
  if (playback.newTrackBuffered) playback.currentTime = video.currentTime;
});
video.addEventListener('error', () => {
  playback.fatal = playback.fatal || `video element: ${video.error && video.error.message}`;
});

const hls = new Hls({ enableWorker: true, debug: !!params.get('debug') });
hls.on(Hls.Events.ERROR, (_, data) => {
  playback.errors.push(data.details);
  if (data.fatal) playback.fatal = `${data.type}: ${data.details}`;
});
hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, (_, data) => {
  playback.audioTracks = data.audioTracks.map((t) => ({ name: t.name, lang: t.lang, url: t.url }));
});
hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, (_, data) => { playback.switchedTo = data.id; });
// A fragment of the old track already in flight may still be buffered after the switch: the clock waits for
// one from the new track's directory.
hls.on(Hls.Events.FRAG_BUFFERED, (_, data) => {
  if (data.frag.type !== 'audio' || playback.switchedTo === null) return;
  playback.audioAfterSwitch.push(data.frag.url);
  const dir = hls.audioTracks[wanted].url.replace(/[^/]*$/, '');
  if (data.frag.url.startsWith(dir)) playback.newTrackBuffered = true;
});
hls.loadSource(params.get('src'));
hls.attachMedia(video);
