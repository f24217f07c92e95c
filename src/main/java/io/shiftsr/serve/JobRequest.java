package io.shiftsr.serve;

/** What a user asked for: scale, process (deltadiff, resshift or bicubic) and step count. */
public record JobRequest(double scale, String process, int steps) {}
