// SplitMix64 seeds the clustering; InputError is what the readers throw.
@_exported import Support
