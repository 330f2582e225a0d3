"""The translator of DESIGN.md ("Translator") written in PyTorch, tensor names exactly as Glossa's
checkpoints use them, so `load_state_dict(safetensors.torch.load_file("model.safetensors"))` works.

Shapes: B batch, S source length, T target length, E embedding, H hidden, V vocabulary.
Used by Tools/make_attention_fixture.py (fixtures) and Benchmarks/pytorch_seq2seq.py (the peer).
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

CELLS = {"gru": nn.GRU, "lstm": nn.LSTM, "rnn_tanh": nn.RNN}


def make_rnn(cell, input_size, hidden_size, layers, bidirectional=False, dropout=0.0):
    kwargs = dict(bidirectional=bidirectional, dropout=dropout if layers > 1 else 0.0)
    if cell == "rnn_tanh":
        kwargs["nonlinearity"] = "tanh"
    return CELLS[cell](input_size, hidden_size, layers, **kwargs)


class Encoder(nn.Module):
    def __init__(self, cell, vocab, embed, hidden, layers, bidirectional, dropout=0.0):
        super().__init__()
        self.cell, self.bidirectional = cell, bidirectional
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = make_rnn(cell, embed, hidden // 2 if bidirectional else hidden, layers, bidirectional, dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(self, source, lengths):
        """source (S, B) ids ending with <eos>, lengths (B) → states (S, B, H), final state per layer
        (L, B, H) (a pair (h, c) for LSTM), forward ‖ backward halves when bidirectional."""
        S = source.shape[0]
        x = self.dropout(self.embedding(source))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
        out, final = self.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=S)

        def join(h):  # (L·dirs, B, He) → (L, B, H)
            return torch.cat([h[0::2], h[1::2]], dim=2) if self.bidirectional else h
        final = tuple(join(h) for h in final) if self.cell == "lstm" else join(final)
        return out, final


class Decoder(nn.Module):
    def __init__(self, cell, vocab, embed, hidden, layers, dropout=0.0):
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(vocab, embed)
        self.rnn = make_rnn(cell, embed + hidden, hidden, layers, False, dropout)
        self.output = nn.Linear(2 * hidden, vocab)
        self.dropout = nn.Dropout(dropout)

    def top(self, state):
        return (state[0] if self.cell == "lstm" else state)[-1]

    def attend(self, z, states, mask):
        """z (B, H), states (S, B, H), mask (S, B) bool → context (B, H), weights (B, S)."""
        scores = torch.einsum("bh,sbh->bs", z, states).masked_fill(~mask.t(), float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return torch.einsum("bs,sbh->bh", weights, states), weights

    def step(self, embedded, state, states, mask):
        """One step: embedded (B, E) = embed(y_{t−1}) → z_t (B, H), c_t (B, H), new state, a_t (B, S)."""
        context, weights = self.attend(self.top(state), states, mask)
        out, state = self.rnn(torch.cat([embedded, context], dim=1).unsqueeze(0), state)
        return out[0], context, state, weights

    def forward(self, decoder_input, state, states, mask):
        """decoder_input (T, B) → logits (T, B, V) with teacher forcing."""
        embedded = self.dropout(self.embedding(decoder_input))
        zs, cs = [], []
        for t in range(decoder_input.shape[0]):
            z, c, state, _ = self.step(embedded[t], state, states, mask)
            zs.append(z)
            cs.append(c)
        return self.output(self.dropout(torch.cat([torch.stack(zs), torch.stack(cs)], dim=2)))


class Translator(nn.Module):
    def __init__(self, cell, source_vocab, target_vocab, embed, hidden, layers, bidirectional, dropout=0.0):
        super().__init__()
        self.encoder = Encoder(cell, source_vocab, embed, hidden, layers, bidirectional, dropout)
        self.decoder = Decoder(cell, target_vocab, embed, hidden, layers, dropout)

    @staticmethod
    def from_config(config, dropout=0.0):
        return Translator(config["cell"], config["source_vocab_size"], config["target_vocab_size"],
                          config["embedding_size"], config["hidden_size"], config["num_layers"],
                          config["bidirectional_encoder"], dropout)

    def loss(self, source, lengths, decoder_input, target, pad):
        """Mean cross-entropy over real target tokens. source (S, B), decoder_input/target (T, B)."""
        states, final = self.encoder(source, lengths)
        mask = source != pad
        logits = self.decoder(decoder_input, final, states, mask)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=pad)

    @torch.no_grad()
    def greedy(self, source, lengths, pad, bos, eos, max_output_ratio):
        """DESIGN.md's greedy rule for a batch → a list of token-id lists and the attention rows."""
        states, state = self.encoder(source, lengths)
        mask = source != pad
        B = source.shape[1]
        limits = [math.ceil(max_output_ratio * (int(n) - 1)) + 5 for n in lengths]
        y = torch.full((B,), bos, dtype=torch.long)
        outputs, done = [[] for _ in range(B)], [False] * B
        alignments = [[] for _ in range(B)]
        for t in range(max(limits)):
            z, c, state, weights = self.decoder.step(self.decoder.embedding(y), state, states, mask)
            logits = self.decoder.output(torch.cat([z, c], dim=1))
            logits[:, pad] = float("-inf")
            logits[:, bos] = float("-inf")
            y = logits.argmax(dim=1)
            for b in range(B):
                if done[b]:
                    continue
                if int(y[b]) == eos:
                    done[b] = True
                    continue
                outputs[b].append(int(y[b]))
                alignments[b].append(weights[b, :int(lengths[b])].tolist())
                if len(outputs[b]) >= limits[b]:
                    done[b] = True
            if all(done):
                break
        return outputs, alignments
