// png_check FILE WIDTH HEIGHT MIN_COLOURS: exits 0 when FILE is a PNG of that size with at
// least MIN_COLOURS distinct colours (a window that drew nothing is one colour). For the
// real-window test; uses stb_image, which Debian's libstb (an imgui dependency) provides.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_set>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: png_check FILE WIDTH HEIGHT MIN_COLOURS\n");
    return 2;
  }
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_check: cannot read %s: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  std::unordered_set<unsigned> colours;
  for (long i = 0; i < static_cast<long>(w) * h; ++i) {
    const unsigned char* p = px + i * 3;
    colours.insert(static_cast<unsigned>(p[0]) << 16 | static_cast<unsigned>(p[1]) << 8 | p[2]);
  }
  stbi_image_free(px);
  std::printf("%s: %dx%d, %zu colours\n", argv[1], w, h, colours.size());
  if (w != std::atoi(argv[2]) || h != std::atoi(argv[3])) {
    std::fprintf(stderr, "png_check: expected %sx%s\n", argv[2], argv[3]);
    return 1;
  }
  if (colours.size() < static_cast<std::size_t>(std::atol(argv[4]))) {
    std::fprintf(stderr, "png_check: fewer than %s colours: did the window draw?\n", argv[4]);
    return 1;
  }
  return 0;
}
