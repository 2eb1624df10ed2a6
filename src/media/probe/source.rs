//! Byte sources the prober reads from: a local file, or any random-access object (S3 ranged GETs).

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Random access to an object's bytes: a local file, or ranged GETs on S3. Blocking (probing runs on a blocking
/// thread; the S3 impl will call `Handle::block_on`).
pub trait ReadAt: Send + Sync {
    /// The exact length of the object in bytes.
    fn len(&self) -> u64;

    /// Whether the object holds no bytes at all.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads up to `buf.len()` bytes at `offset`; returns 0 only at the end.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;
}

/// A local file read with positional reads, so one handle can serve many readers.
pub struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Wraps an open file; its length is taken once, now.
    pub fn new(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self { file, len })
    }

    /// Opens the file at `path`.
    pub fn open(path: impl AsRef<std::path::Path>) -> io::Result<Self> {
        Self::new(File::open(path)?)
    }
}

impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        FileExt::read_at(&self.file, buf, offset)
    }
}

/// In-memory bytes, for tests and small uploads already in hand.
impl ReadAt for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let Some(rest) = self.get(start..) else {
            return Ok(0);
        };
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }
}

impl ReadAt for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.as_slice().read_at(offset, buf)
    }
}

/// Size of one cached block; one miss costs one request of this size from the inner source.
const BLOCK: u64 = 64 * 1024;
/// Blocks kept; enough for a header, a trailing `moov` and a few seeks between them.
const BLOCKS_KEPT: usize = 4;

/// Wraps a source, counts what is actually asked of it, and caches a few blocks so that many small reads
/// become a few block-sized requests (each request is a ranged GET on S3).
pub struct Counted<S> {
    inner: S,
    bytes: AtomicU64,
    requests: AtomicU64,
    /// Most recently used last.
    cache: Mutex<Vec<(u64, Vec<u8>)>>,
}

impl<S: ReadAt> Counted<S> {
    /// Wraps `inner` with an empty cache and zeroed counters.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            bytes: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            cache: Mutex::new(Vec::new()),
        }
    }

    /// Bytes requested from the inner source so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Requests made to the inner source so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The wrapped source.
    pub fn into_inner(self) -> S {
        self.inner
    }

    fn fetch_block(&self, index: u64) -> io::Result<Vec<u8>> {
        let start = index * BLOCK;
        let want = BLOCK.min(self.inner.len().saturating_sub(start)) as usize;
        let mut block = vec![0; want];
        let mut filled = 0;
        while filled < want {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let n = self
                .inner
                .read_at(start + filled as u64, &mut block[filled..])?;
            self.bytes.fetch_add(n as u64, Ordering::Relaxed);
            if n == 0 {
                break;
            }
            filled += n;
        }
        block.truncate(filled);
        Ok(block)
    }
}

impl<S: ReadAt> ReadAt for Counted<S> {
    fn len(&self) -> u64 {
        self.inner.len()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || offset >= self.len() {
            return Ok(0);
        }
        let index = offset / BLOCK;
        let within = (offset % BLOCK) as usize;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let block = match cache.iter().position(|(i, _)| *i == index) {
            Some(at) => cache.remove(at).1,
            None => self.fetch_block(index)?,
        };
        let n = block.len().saturating_sub(within).min(buf.len());
        buf[..n].copy_from_slice(&block[within..within + n]);
        cache.push((index, block));
        if cache.len() > BLOCKS_KEPT {
            cache.remove(0);
        }
        Ok(n)
    }
}

/// Reads exactly `buf.len()` bytes at `offset`, or fails with `UnexpectedEof`.
pub(crate) fn read_exact_at(src: &dyn ReadAt, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = src.read_at(offset + filled as u64, &mut buf[filled..])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
    }
    Ok(())
}

/// Reads up to `max` bytes at `offset`, fewer only at the end of the object.
pub(crate) fn read_up_to(src: &dyn ReadAt, offset: u64, max: usize) -> io::Result<Vec<u8>> {
    let want = (max as u64).min(src.len().saturating_sub(offset)) as usize;
    let mut buf = vec![0; want];
    read_exact_at(src, offset, &mut buf)?;
    Ok(buf)
}
