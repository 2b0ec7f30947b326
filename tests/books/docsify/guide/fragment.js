const before = "outside the fragment";
/// [demo]
const inside = "inside the fragment";
/// [demo]
const after = "also outside";
