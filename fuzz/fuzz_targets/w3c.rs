#![no_main]
// Body in the library, shared with the property tests: tandai::fuzzing::w3c.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tandai::fuzzing::w3c(data));
