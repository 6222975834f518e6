#![no_main]
// Body in the library, shared with the property tests: tandai::fuzzing::tags_jsonl.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tandai::fuzzing::tags_jsonl(data));
