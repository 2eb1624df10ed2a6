//! Test media made with ffmpeg: real encoder output, plus a few files built by hand where no encoder here
//! writes the structure (a VBRI header, a CMYK JPEG, 100 MB MP3s made by repeating real frames).
//!
//! Std only, so it can be `#[path]`-included by any test binary. Each sample is made once per directory;
//! files are written under a temporary name and renamed, so parallel tests can share a directory.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The samples the probe tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// 3 s, 128 kb/s, 44.1 kHz stereo, ID3v2 tag, no Info header: the duration must come from the length.
    Mp3Cbr,
    /// `Mp3Cbr` with a 1400×1400 PNG cover (hundreds of KB) in its ID3v2 tag, as podcast MP3s carry.
    Mp3WithCover,
    /// 3 s LAME VBR (`-q:a 4`) with a Xing header.
    Mp3Vbr,
    /// The VBR frames behind a hand-made Fraunhofer VBRI frame (no encoder here writes one).
    Mp3Vbri,
    /// 3 s AAC in `.m4a`, muxed without `+faststart`, so `moov` follows `mdat`.
    M4aMoovAtEnd,
    /// The same with `+faststart`: `moov` first.
    M4aFaststart,
    /// 2 s, 64×64 H.264 test pattern with AAC audio.
    VideoMp4,
    /// `VideoMp4`'s streams in a QuickTime `.mov` (brand `qt  `).
    MovVideo,
    /// 1 s PCM WAV.
    Wav,
    /// A solid RGB PNG of the given size.
    PngArtwork(u32, u32),
    /// A baseline YCbCr JPEG of the given size.
    JpegArtwork(u32, u32),
    /// A 1400×1400 four-component (CMYK) JPEG header, built by hand: ffmpeg writes no CMYK JPEG.
    JpegCmyk,
    /// The first half of `M4aMoovAtEnd`.
    Truncated,
    /// Plain text named `episode.mp3`.
    TextRenamed,
    /// About 100 MB of CBR MP3: the `Mp3Cbr` frames repeated.
    LargeMp3Cbr,
    /// About 100 MB of VBR MP3: the VBR frames repeated behind a Xing header that counts them.
    LargeMp3Vbr,
    /// About 100 MB of 320 kb/s AAC with `moov` at the end: a 10 s encode looped by a stream-copy remux.
    LargeM4a,
}

/// Size the large samples aim for.
pub const LARGE: u64 = 100 * 1024 * 1024;

/// Whether ffmpeg can be run.
pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Makes `kind` in `dir` (once) and returns its path.
pub fn generate(kind: Sample, dir: &Path) -> PathBuf {
    fs::create_dir_all(dir).expect("create sample dir");
    cached(dir, &file_name(kind), |tmp| make(kind, dir, tmp))
}

fn file_name(kind: Sample) -> String {
    match kind {
        Sample::Mp3Cbr => "cbr.mp3".into(),
        Sample::Mp3WithCover => "cover.mp3".into(),
        Sample::Mp3Vbr => "vbr.mp3".into(),
        Sample::Mp3Vbri => "vbri.mp3".into(),
        Sample::M4aMoovAtEnd => "moov-at-end.m4a".into(),
        Sample::M4aFaststart => "faststart.m4a".into(),
        Sample::VideoMp4 => "video.mp4".into(),
        Sample::MovVideo => "video.mov".into(),
        Sample::Wav => "audio.wav".into(),
        Sample::PngArtwork(w, h) => format!("art-{w}x{h}.png"),
        Sample::JpegArtwork(w, h) => format!("art-{w}x{h}.jpg"),
        Sample::JpegCmyk => "cmyk.jpg".into(),
        Sample::Truncated => "truncated.m4a".into(),
        Sample::TextRenamed => "episode.mp3".into(),
        Sample::LargeMp3Cbr => "large-cbr.mp3".into(),
        Sample::LargeMp3Vbr => "large-vbr.mp3".into(),
        Sample::LargeM4a => "large.m4a".into(),
    }
}

const SINE: &str = "sine=frequency=440:sample_rate=44100:duration=";

fn make(kind: Sample, dir: &Path, out: &Path) {
    let sine = |seconds: u32| format!("-f lavfi -i {SINE}{seconds}");
    match kind {
        Sample::Mp3Cbr => ffmpeg(
            &format!("{} -ac 2 -c:a libmp3lame -b:a 128k -write_xing 0 -f mp3", sine(3)),
            out,
        ),
        Sample::Mp3WithCover => {
            let cover = cached(dir, "cover-noise.png", |tmp| {
                let noise = "-f lavfi -i cellauto=s=1400x1400:rule=30 -frames:v 1";
                ffmpeg(&format!("{noise} -pix_fmt rgb24 -c:v png -f image2"), tmp)
            });
            let mut cmd = Command::new("ffmpeg");
            cmd.args(["-y", "-hide_banner", "-loglevel", "error", "-nostdin", "-i"]);
            cmd.arg(generate(Sample::Mp3Cbr, dir)).arg("-i").arg(cover);
            cmd.args(["-map", "0", "-map", "1", "-c", "copy", "-id3v2_version", "3"]);
            run(cmd.args(["-write_xing", "0", "-f", "mp3"]).arg(out));
        }
        Sample::Mp3Vbr => ffmpeg(&format!("{} -ac 2 -c:a libmp3lame -q:a 4 -f mp3", sine(3)), out),
        Sample::Mp3Vbri => {
            let frames = vbr_frames(dir);
            let mut file = info_frame(b"VBRI", count_frames(&frames), frames.len() as u32 + 417);
            file.extend_from_slice(&frames);
            fs::write(out, file).expect("write vbri");
        }
        Sample::M4aMoovAtEnd => ffmpeg(&format!("{} -c:a aac -b:a 96k -f mp4", sine(3)), out),
        Sample::M4aFaststart => ffmpeg(
            &format!("{} -c:a aac -b:a 96k -movflags +faststart -f mp4", sine(3)),
            out,
        ),
        Sample::VideoMp4 => ffmpeg(
            &format!(
                "-f lavfi -i testsrc=size=64x64:rate=10:duration=2 {} -c:v libx264 -pix_fmt yuv420p \
                 -c:a aac -b:a 64k -shortest -f mp4",
                sine(2)
            ),
            out,
        ),
        Sample::MovVideo => {
            let mut cmd = Command::new("ffmpeg");
            cmd.args(["-y", "-hide_banner", "-loglevel", "error", "-nostdin", "-i"]);
            cmd.arg(generate(Sample::VideoMp4, dir));
            run(cmd.args(["-c", "copy", "-f", "mov"]).arg(out));
        }
        Sample::Wav => ffmpeg(&format!("{} -c:a pcm_s16le -f wav", sine(1)), out),
        Sample::PngArtwork(w, h) => ffmpeg(
            &format!("-f lavfi -i color=c=red:size={w}x{h} -frames:v 1 -pix_fmt rgb24 -c:v png -f image2"),
            out,
        ),
        Sample::JpegArtwork(w, h) => ffmpeg(
            &format!(
                "-f lavfi -i color=c=red:size={w}x{h} -frames:v 1 -pix_fmt yuvj420p -c:v mjpeg \
                 -f image2"
            ),
            out,
        ),
        Sample::JpegCmyk => fs::write(out, cmyk_jpeg(1400, 1400)).expect("write cmyk"),
        Sample::Truncated => {
            let whole = fs::read(generate(Sample::M4aMoovAtEnd, dir)).expect("read m4a");
            fs::write(out, &whole[..whole.len() / 2]).expect("write truncated");
        }
        Sample::TextRenamed => {
            fs::write(out, "Show notes: this is not audio.\n".repeat(40)).expect("write text")
        }
        Sample::LargeMp3Cbr => {
            let frames = frames_only(dir, "cbr-frames.mp3", "-b:a 128k");
            fs::write(out, repeat_to(&frames, LARGE)).expect("write large cbr");
        }
        Sample::LargeMp3Vbr => {
            let body = repeat_to(&vbr_frames(dir), LARGE);
            let mut file = info_frame(b"Xing", count_frames(&body), body.len() as u32 + 417);
            file.extend_from_slice(&body);
            fs::write(out, file).expect("write large vbr");
        }
        Sample::LargeM4a => {
            // A real remux, not padding: its moov holds the sample tables of a 100 MB file (~0.6 MB).
            let unit = cached(dir, "aac-320k.m4a", |tmp| {
                let noise = "anoisesrc=duration=10:sample_rate=44100:amplitude=0.5";
                ffmpeg(&format!("-f lavfi -i {noise} -ac 2 -c:a aac -b:a 320k -f mp4"), tmp)
            });
            let loops = LARGE / fs::metadata(&unit).expect("stat unit").len();
            let mut cmd = Command::new("ffmpeg");
            cmd.args(["-y", "-hide_banner", "-loglevel", "error", "-nostdin"]);
            cmd.arg("-stream_loop").arg(loops.to_string()).arg("-i").arg(&unit);
            run(cmd.args(["-c", "copy", "-f", "mp4"]).arg(out));
        }
    }
}

/// Runs ffmpeg with `args` (split on spaces) and `out` as the output file.
fn ffmpeg(args: &str, out: &Path) {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-y", "-hide_banner", "-loglevel", "error", "-nostdin"]);
    run(cmd.args(args.split_whitespace()).arg(out));
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .expect("run ffmpeg (install it with media-tools.sh)");
    assert!(status.success(), "ffmpeg failed: {cmd:?}");
}

/// An intermediate file in `dir`, made once by `make` under a temporary name.
fn cached(dir: &Path, name: &str, make: impl FnOnce(&Path)) -> PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        // Unique per call: tests in one process may make the same sample at once.
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{call}.tmp", std::process::id()));
        make(&tmp);
        fs::rename(&tmp, &path).expect("move into place");
    }
    path
}

/// Bare MPEG frames (no ID3, no Xing) of a 3 s stereo sine encoded with `extra`, cached as `name`.
fn frames_only(dir: &Path, name: &str, extra: &str) -> Vec<u8> {
    let path = cached(dir, name, |tmp| {
        let args = format!(
            "-f lavfi -i {SINE}3 -ac 2 -c:a libmp3lame {extra} -write_xing 0 -id3v2_version 0 -f mp3"
        );
        ffmpeg(&args, tmp)
    });
    fs::read(path).expect("read frames")
}

fn vbr_frames(dir: &Path) -> Vec<u8> {
    frames_only(dir, "vbr-frames.mp3", "-q:a 4")
}

fn repeat_to(unit: &[u8], size: u64) -> Vec<u8> {
    let times = (size / unit.len() as u64).max(1) as usize;
    unit.repeat(times)
}

/// Counts MPEG-1 Layer III frames by walking their headers.
fn count_frames(data: &[u8]) -> u32 {
    const KBPS: [u32; 16] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0,
    ];
    const RATES: [u32; 4] = [44100, 48000, 32000, 0];
    let (mut at, mut frames) = (0usize, 0u32);
    while at + 4 <= data.len() && data[at] == 0xFF && data[at + 1] & 0xE0 == 0xE0 {
        let kbps = KBPS[(data[at + 2] >> 4) as usize];
        let rate = RATES[((data[at + 2] >> 2) & 3) as usize];
        if kbps == 0 || rate == 0 {
            break;
        }
        at += (144_000 * kbps / rate + u32::from((data[at + 2] >> 1) & 1)) as usize;
        frames += 1;
    }
    frames
}

/// A silent 128 kb/s, 44.1 kHz stereo MPEG-1 Layer III frame (417 bytes) holding a Xing or VBRI header.
fn info_frame(tag: &[u8; 4], frames: u32, bytes: u32) -> Vec<u8> {
    let mut f = vec![0u8; 417];
    f[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
    if tag == b"Xing" {
        // After the 32 bytes of stereo side info: tag, flags (frames | bytes), frames, bytes.
        f[36..40].copy_from_slice(tag);
        f[40..44].copy_from_slice(&3u32.to_be_bytes());
        f[44..48].copy_from_slice(&frames.to_be_bytes());
        f[48..52].copy_from_slice(&bytes.to_be_bytes());
    } else {
        // Fixed at 32 bytes after the header: tag, version 1, delay, quality, bytes, frames, no TOC.
        f[36..40].copy_from_slice(tag);
        f[40..42].copy_from_slice(&1u16.to_be_bytes());
        f[42..44].copy_from_slice(&0x04B0u16.to_be_bytes());
        f[44..46].copy_from_slice(&75u16.to_be_bytes());
        f[46..50].copy_from_slice(&bytes.to_be_bytes());
        f[50..54].copy_from_slice(&frames.to_be_bytes());
    }
    f
}

/// A JPEG whose frame header declares four components, behind an Adobe APP14 marker, as CMYK exports are.
fn cmyk_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xEE, 0, 14]);
    j.extend_from_slice(b"Adobe\0\x64\0\0\0\0\0");
    j.extend_from_slice(&[0xFF, 0xC0, 0, 20, 8]);
    j.extend_from_slice(&h.to_be_bytes());
    j.extend_from_slice(&w.to_be_bytes());
    j.push(4);
    for id in 1..=4u8 {
        j.extend_from_slice(&[id, 0x11, 0]);
    }
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}
