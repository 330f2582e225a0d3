extension Vocabulary {
    /// The ids of every token of `files` (nil or "-" is standard input) as one stream, each line's
    /// tokens followed by `<eos>` when `appendEOS` (a language model's view of a corpus); read in
    /// chunks on both cores. Throws `InputError` naming the file and line for bad input, and for an
    /// empty file.
    public func encode(files: [String?], settings: TokenizerSettings, appendEOS: Bool = true,
                       lenient: Bool = false, workers: Int = ChunkPipeline.defaultWorkers) throws -> [Int32] {
        let tokenizers = (0..<max(1, workers)).map { _ in Tokenizer(settings: settings) }
        var stream: [Int32] = []
        try LineReader.forEach(files) { reader in
            try ChunkPipeline.run(reader: reader, workers: workers, work: { worker, chunk -> [Int32] in
                let tokenizer = tokenizers[worker]
                var ids: [Int32] = []
                ids.reserveCapacity(chunk.bytes.count / 4)
                try chunk.forEachLine(lenient: lenient) { line in
                    tokenizer.appendIDs(line, vocabulary: self, to: &ids)
                    if appendEOS { ids.append(eosID) }
                }
                return ids
            }, consume: { stream.append(contentsOf: $0) })
        }
        return stream
    }
}
