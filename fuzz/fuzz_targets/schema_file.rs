#![no_main]
// Body in the library, shared with the property tests: tandai::fuzzing::schema_file.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tandai::fuzzing::schema_file(data));
