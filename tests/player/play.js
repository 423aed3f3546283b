// What play.mjs reads: the player's errors (fatal or not, by their own names), the start of the first buffered
// range of each SourceBuffer (hls.js and dash.js), and the video element's clock.
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
  if (params.get('subtitles')) {
    watchSubtitles(hls);
  }
  hls.loadSource(src);
  hls.attachMedia(video);
} else if (playback.player === 'dash') {
  watchSourceBuffers();
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

// dash.js announces no buffered ranges: the SourceBuffers it adds report theirs after each append, as 'video'
// and 'audio' like hls.js's.
function watchSourceBuffers() {
  const add = MediaSource.prototype.addSourceBuffer;
  MediaSource.prototype.addSourceBuffer = function (mime) {
    const buffer = add.call(this, mime);
    const type = mime.startsWith('audio') ? 'audio' : 'video';
    buffer.addEventListener('updateend', () => {
      try {
        noteBuffered(type, buffer.buffered);
      } catch (error) {
        // A SourceBuffer removed from its MediaSource throws on .buffered: nothing more to note.
      }
    });
    return buffer;
  };
}

// ?subtitles=1 (hls.js): the subtitle tracks hls.js lists, in playback.subtitleTracks ({ name, lang }), and the text
// of every cue the browser showed from them, in playback.subtitleCues. The first track is switched on and shown.
function watchSubtitles(hls) {
  playback.subtitleTracks = [];
  playback.subtitleCues = [];
  hls.subtitleDisplay = true;
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_, data) => {
    playback.subtitleTracks = data.subtitleTracks.map((t) => ({ name: t.name, lang: t.lang }));
  });
  // The tracks are not DEFAULT, so nothing is selected by itself; selecting before the media is attached is
  // not kept, so the first track is switched on once the media has played.
  const selectFirst = () => {
    if (hls.subtitleTracks.length > 0 && hls.subtitleTrack < 0) {
      hls.subtitleTrack = 0;
    }
  };
  const noteCues = (track) => {
    for (const cue of Array.from(track.activeCues || [])) {
      if (!playback.subtitleCues.includes(cue.text)) {
        playback.subtitleCues.push(cue.text);
      }
    }
  };
  video.textTracks.addEventListener('addtrack', (e) => e.track.addEventListener('cuechange', () => noteCues(e.track)));
  // What the browser holds per text track (its mode and first cues' times), for a report that explains a miss.
  video.addEventListener('timeupdate', () => {
    selectFirst();
    Array.from(video.textTracks).forEach(noteCues);
    playback.textTracks = Array.from(video.textTracks).map((t) => ({
      label: t.label, mode: t.mode, cues: t.cues ? t.cues.length : -1,
      first: t.cues && t.cues.length > 0 ? [t.cues[0].startTime, t.cues[0].endTime] : null,
    }));
  });
}
