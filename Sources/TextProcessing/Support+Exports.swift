// InputError, AtomicFile and SplitMix64 are part of this module's API (thrown, taken by initializers).
@_exported import Support
