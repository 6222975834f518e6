#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Memory on hostile JSON: a megabyte-long key above 100,000 small arrays
//! once cost the key's length for every array (100 GB). This binary counts
//! every allocation (its only test, so nothing else allocates meanwhile)
//! and checks the peak; how long it takes is a figure of
//! `examples/bench.rs`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, keeping count of the bytes live now and at most.
struct Counting {
    live: AtomicUsize,
    peak: AtomicUsize,
}

// `GlobalAlloc` is an unsafe trait, hence the `allow` (the project denies
// `unsafe_code` everywhere else). Each
// method forwards to `System` with the same arguments, so it upholds
// exactly the contract `System` does.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = self.live.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.live.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` (through `alloc` or
        // `realloc` above) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            self.live.fetch_sub(layout.size(), Ordering::Relaxed);
            let now = self.live.fetch_add(new_size, Ordering::Relaxed) + new_size;
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting {
    live: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
};

/// The most bytes live at once while `f` runs, above what was live before.
fn peak_during(f: impl FnOnce()) -> usize {
    let before = ALLOC.live.load(Ordering::Relaxed);
    ALLOC.peak.store(before, Ordering::Relaxed);
    f();
    ALLOC.peak.load(Ordering::Relaxed) - before
}

#[test]
fn long_json_keys_do_not_multiply_memory() {
    let key = "k".repeat(1 << 20);
    let body = format!("{{\"{key}\": [{}[]]}}", "[],".repeat(100_000));
    let ls = format!("[{body}]");
    let input = body.len() + ls.len();
    let peak = peak_during(|| {
        tandai::fuzzing::w3c(body.as_bytes());
        tandai::fuzzing::label_studio(ls.as_bytes());
    });
    // Parsing builds a value per array (tens of bytes each) and remembers
    // the lines of a bounded number of short pointers: a few times the
    // input. One copy of the key per array would be 100 GB.
    assert!(
        peak < 16 * input,
        "{peak} bytes at the peak for {input} bytes of input"
    );
}
