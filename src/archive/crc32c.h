// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), the checksum of every archive
// record and segment header (the same code as iSCSI, ext4 metadata and LevelDB's log).
//
// Implementation: SSE4.2 `crc32` instructions (8 bytes per step) when the CPU reports SSE4.2 at
// run time, otherwise a software slicing-by-8 table (about 1-2 GB/s). Both give identical results;
// the test checks each against the RFC 3720 vectors.
//
// Thread safety: pure functions; the tables are built once, thread-safely, on first use.
// Cost: O(n), no allocation.
//
// Mask/Unmask follow LevelDB: a CRC stored next to the data it covers is rotated and offset, so
// that computing the CRC of a string that itself contains embedded CRCs stays well distributed.
#ifndef REACH_ARCHIVE_CRC32C_H_
#define REACH_ARCHIVE_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace reach::archive::crc32c {

// Returns the CRC-32C of data[0, n) continuing from `init_crc` (the CRC of a preceding prefix;
// 0 for none), so Extend(Extend(0, a), b) == Value(a + b).
[[nodiscard]] uint32_t Extend(uint32_t init_crc, const void* data, size_t n);

[[nodiscard]] inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }
[[nodiscard]] inline uint32_t Value(std::string_view s) { return Extend(0, s.data(), s.size()); }

// The software implementation, exposed so the test can compare it with the hardware one.
[[nodiscard]] uint32_t ExtendPortable(uint32_t init_crc, const void* data, size_t n);
// True when Extend uses the SSE4.2 instructions on this machine.
[[nodiscard]] bool HardwareAccelerated();

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

[[nodiscard]] inline uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

[[nodiscard]] inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace reach::archive::crc32c

#endif  // REACH_ARCHIVE_CRC32C_H_
