//! Child processes: each behind a guard that SIGKILLs it, and every process it started, when it
//! goes (also when the test fails, then printing the end of its log); bounded waits for them.

use std::{
    collections::HashMap,
    fs::File,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

/// A child process whose output goes to `<log_dir>/<name>.log`.
pub struct Proc {
    name: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Proc {
    pub fn spawn(name: &str, mut cmd: Command, log_dir: &Path) -> Proc {
        let log = log_dir.join(format!("{name}.log"));
        let out = File::create(&log).expect("log file");
        cmd.stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Proc {
            name: name.into(),
            child: Some(child),
            log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Sends SIGTERM, as systemd or Kubernetes does on a stop.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to exit by itself, at most `limit`; its exit status.
    pub async fn exited(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Deadline::new(format!("{} to exit", self.name), limit);
        loop {
            let child = self.child.as_mut().expect("running");
            if let Some(status) = child.try_wait().expect("try_wait") {
                self.child = None;
                return status;
            }
            deadline.tick().await;
        }
    }

    /// SIGKILLs the process and everything it started, then reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_tree(child.id());
            let _ = child.wait();
        }
    }

    pub fn assert_running(&mut self) {
        let child = self.child.as_mut().expect("the process was stopped");
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!(
                "{} exited early ({status}):\n{}",
                self.name,
                self.log_tail(40)
            );
        }
    }

    /// The last `lines` lines of the process's log.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Peak resident set size (VmHWM) so far, in KiB, and CPU time used so far.
    pub fn usage(&self) -> (u64, Duration) {
        let pid = self.pid();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        (hwm, process_cpu(pid))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!(
                "----- {} (last lines) -----\n{}",
                self.name,
                self.log_tail(40)
            );
        }
    }
}

/// SIGKILLs `pid` and every process below it. The tree is frozen (SIGSTOP) and read again until
/// it stops growing, then killed at once: once a parent is gone, its children belong to init and
/// can no longer be told from anyone else's.
pub fn kill_tree(pid: u32) {
    let signal = |sig: &str, pids: &[u32]| {
        let _ = Command::new("kill")
            .arg(sig)
            .args(pids.iter().map(u32::to_string))
            .stderr(Stdio::null())
            .status();
    };
    let mut tree = vec![pid];
    for _ in 0..5 {
        signal("-STOP", &tree);
        let mut now = vec![pid];
        now.extend(descendants(pid));
        if now.len() == tree.len() {
            break;
        }
        tree = now;
    }
    signal("-KILL", &tree);
}

/// Every process below `pid`, read from /proc.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // After "pid (comm)": the state, then the parent's pid.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(child);
        }
    }
    let mut found = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        for &c in children.get(&p).into_iter().flatten() {
            found.push(c);
            todo.push(c);
        }
    }
    found
}

/// `podpub <args>`, the binary under test, against `database_url`, logging warnings only.
pub fn podpub(database_url: &str, args: &[&str], env: &[(&str, String)]) -> Command {
    podpub_at(
        Path::new(env!("CARGO_BIN_EXE_podpub")),
        database_url,
        args,
        env,
    )
}

/// [`podpub`] with another binary (the benches run the release build).
pub fn podpub_at(bin: &Path, database_url: &str, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("PODPUB_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// The release build of podpub, or `PODPUB_BENCH_BIN`.
pub fn release_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("PODPUB_BENCH_BIN") {
        return bin.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("podpub")
}

/// A bounded wait: `tick()` sleeps a little, and fails the test once the time is up.
pub struct Deadline {
    what: String,
    start: Instant,
    limit: Duration,
}

impl Deadline {
    pub fn new(what: impl Into<String>, limit: Duration) -> Deadline {
        Deadline {
            what: what.into(),
            start: Instant::now(),
            limit,
        }
    }

    pub async fn tick(&self) {
        assert!(
            self.start.elapsed() < self.limit,
            "timed out after {:?} waiting for {}",
            self.limit,
            self.what
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// User plus system CPU time a process has used so far.
pub fn process_cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 1000 / clock_ticks())
}

pub fn clock_ticks() -> u64 {
    // USER_HZ is 100 on every Linux this runs on; `getconf` confirms it when available.
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}
