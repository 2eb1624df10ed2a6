//! Guards and helpers the benches that run the real `podpub` binary share: a throwaway
//! database, a scratch directory and child processes, each cleaned up when it goes.

#![allow(dead_code)]

use std::{
    fs::File,
    future::Future,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use sqlx::{Connection, Executor, PgConnection};
use uuid::Uuid;

/// Runs `f` to completion on a runtime of its own in a thread of its own: usable from `Drop`,
/// inside or outside the bench's runtime.
pub fn block_on_aside<F: Future<Output = ()> + Send + 'static>(f: F) {
    let _ = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(f)
    })
    .join();
}

/// A throwaway database, dropped (with its sessions) when the guard goes.
pub struct Database {
    cluster: String,
    pub name: String,
    pub url: String,
}

impl Database {
    pub async fn create(cluster: &str, label: &str) -> Database {
        let name = format!("podpub_bench_{label}_{}", Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(cluster).await.expect("connect");
        admin
            .execute(format!("create database {name}").as_str())
            .await
            .expect("create the bench database");
        let mut url = url::Url::parse(cluster).expect("DATABASE_URL is a URL");
        url.set_path(&format!("/{name}"));
        Database {
            cluster: cluster.into(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (cluster, name) = (self.cluster.clone(), self.name.clone());
        block_on_aside(async move {
            match PgConnection::connect(&cluster).await {
                Ok(mut admin) => {
                    let sql = format!("drop database if exists {name} with (force)");
                    if let Err(e) = admin.execute(sql.as_str()).await {
                        eprintln!("bench: dropping {name}: {e}");
                    }
                }
                Err(e) => eprintln!("bench: dropping {name}: {e}"),
            }
        });
    }
}

/// A scratch directory, removed when the guard goes.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(label: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!(
            "podpub-bench-{label}-{}-{}",
            std::process::id(),
            Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process, SIGKILLed and reaped when the guard goes; its output goes to a log whose
/// tail is printed if the bench panics.
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

    pub fn assert_running(&mut self) {
        let child = self.child.as_mut().expect("the process was stopped");
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!(
                "{} exited early ({status}):\n{}",
                self.name,
                self.log_tail()
            );
        }
    }

    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
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

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!(
                "----- {} (last lines) -----\n{}",
                self.name,
                self.log_tail()
            );
        }
    }
}

/// utime + stime of a process.
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

pub fn release_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("PODPUB_BENCH_BIN") {
        return bin.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("podpub")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
