#![no_main]
// Body in the library, shared with the property tests: tandai::fuzzing::brat.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tandai::fuzzing::brat(data));
