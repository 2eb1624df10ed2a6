pub use crate::kit::media as gen;

use std::path::{Path, PathBuf};
use std::process::Command;

use podpub::media::probe::{probe, Counted, FileSource, ProbeError, Probed};

pub use gen::Sample;

/// Where samples live; shared across tests and runs, each sample made once.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("media")
}

/// Makes `kind` and returns its path; fails the test, not skips it, when ffmpeg is missing.
pub fn sample(kind: Sample) -> PathBuf {
    assert!(
        gen::ffmpeg_available(),
        "ffmpeg is missing: `make test` installs it (scripts/media-tools.sh)"
    );
    gen::generate(kind, &sample_dir())
}

/// Probes a sample through `Counted`, returning the result and the bytes read from the file.
pub fn probe_sample(kind: Sample) -> (Result<Probed, ProbeError>, u64) {
    let source = Counted::new(FileSource::open(sample(kind)).expect("open sample"));
    let result = probe(&source);
    (result, source.bytes_read())
}

pub fn probed(kind: Sample) -> Probed {
    probe_sample(kind)
        .0
        .unwrap_or_else(|e| panic!("{kind:?} should probe, got {} ({e})", e.code()))
}

pub fn refusal(kind: Sample) -> ProbeError {
    match probe_sample(kind).0 {
        Ok(p) => panic!("{kind:?} should be refused, probed as {p:?}"),
        Err(e) => e,
    }
}

/// ffprobe's duration of the container, for comparison.
pub fn ffprobe_duration(path: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("run ffprobe");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("ffprobe prints a duration")
}

pub fn assert_close(found: Option<f64>, want: f64, within: f64) {
    let found = found.expect("a duration");
    assert!(
        (found - want).abs() <= within,
        "duration {found} is not within {within} s of {want}"
    );
}
