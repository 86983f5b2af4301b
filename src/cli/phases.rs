//! `alike index --verbose`'s account of where a build's time and memory
//! went, step by step: wall time, CPU time of the whole process (every
//! thread) and of the main thread alone (the work no other core shares:
//! parallel steps run on the pool's threads while it waits), and resident
//! memory at the step's end and at its peak so far. Read from Linux's
//! /proc; elsewhere the CPU and memory columns say "-".

use std::time::Instant;

pub struct Phases {
    on: bool,
    started: Instant,
    last: Instant,
    last_cpu: Option<f64>,
    last_main: Option<f64>,
}

impl Phases {
    /// Reports only when `on` (`--verbose`): off, a step costs one clock read.
    pub fn new(on: bool) -> Phases {
        let now = Instant::now();
        Phases { on, started: now, last: now, last_cpu: cpu_seconds(PROCESS), last_main: cpu_seconds(THREAD) }
    }

    /// Ends the step called `name`: prints what it took since the last one.
    pub fn end(&mut self, name: &str) {
        if !self.on {
            return;
        }
        let now = Instant::now();
        let (cpu, main) = (cpu_seconds(PROCESS), cpu_seconds(THREAD));
        let wall = (now - self.last).as_secs_f64();
        let cpu_text = match (cpu, self.last_cpu, main, self.last_main) {
            // CPU over wall: 2.0 is both cores busy the whole step.
            (Some(cpu), Some(last), Some(main), Some(last_main)) => format!(
                "{:.2} s CPU ({:.2} cores), {:.2} s of it on the main thread",
                cpu - last,
                (cpu - last) / wall.max(1e-9),
                main - last_main
            ),
            _ => "- s CPU".to_string(),
        };
        let (rss, peak) = memory();
        eprintln!(
            "alike: step {name}: {wall:.2} s wall, {cpu_text}, {} resident, {} peak; {:.2} s since the start",
            mebibytes(rss),
            mebibytes(peak),
            (now - self.started).as_secs_f64(),
        );
        self.last = now;
        self.last_cpu = cpu;
        self.last_main = main;
    }
}

const PROCESS: &str = "/proc/self/stat";
/// The calling thread's: `Phases` lives on the main thread.
const THREAD: &str = "/proc/thread-self/stat";

/// User and system CPU time so far of the process or thread whose `stat`
/// file is at `path`: its utime and stime, in the kernel's fixed 100 ticks
/// a second (USER_HZ).
fn cpu_seconds(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Resident memory now and at its peak so far (VmRSS, VmHWM), in kB.
fn memory() -> (Option<u64>, Option<u64>) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return (None, None) };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name)?.trim().strip_suffix("kB")?.trim().parse().ok())
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mebibytes(kilobytes: Option<u64>) -> String {
    kilobytes.map_or("- MiB".to_string(), |kb| format!("{} MiB", kb / 1024))
}
