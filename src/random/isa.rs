//! The instruction sets the engine's inner loops are compiled for, chosen when a set of
//! lane streams is made (once per worker of a run).
//!
//! The block loops (generator blocks, ziggurat draws, cumulation, tallies) are written
//! as plain loops over [`LANES`](super::stream::LANES) paths; compiled for AVX-512 or
//! AVX2 they become vector instructions and run about twice as fast as with the
//! baseline x86-64 set. Every variant performs the same IEEE operations in the same
//! order (no fused multiply-adds: Rust does not contract `a * b + c`), so results are
//! bit-identical whichever variant a machine runs.
#![allow(unsafe_code)]

/// A detected instruction set. Only [`Isa::detect`] makes one, so holding an `Isa`
/// proves the machine supports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Isa(Level);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Baseline,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    /// The widest instruction set this machine offers that the engine is compiled for.
    pub(crate) fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            // Every such processor has AES instructions; requiring them lets the
            // generator's rounds be compiled into the variants.
            if !has!("aes") {
                return Isa(Level::Baseline);
            }
            if has!("avx512f") && has!("avx512dq") && has!("avx512vl") && has!("avx512bw") {
                return Isa(Level::Avx512);
            }
            if has!("avx2") {
                return Isa(Level::Avx2);
            }
        }
        Isa(Level::Baseline)
    }

    /// Runs `f` compiled for this instruction set. `f` and what it calls with
    /// `#[inline(always)]` are compiled into the variant.
    #[inline(always)]
    pub(crate) fn run<T>(self, f: impl FnOnce() -> T) -> T {
        match self.0 {
            Level::Baseline => f(),
            // SAFETY: `detect` found AVX2 and AES on this machine.
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => unsafe { avx2(f) },
            // SAFETY: `detect` found AVX-512 F/DQ/VL/BW and AES on this machine.
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => unsafe { avx512(f) },
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt,aes")]
unsafe fn avx2<T>(f: impl FnOnce() -> T) -> T {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt,aes,avx512f,avx512dq,avx512vl,avx512bw")]
unsafe fn avx512<T>(f: impl FnOnce() -> T) -> T {
    f()
}
