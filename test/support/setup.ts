import 'reflect-metadata';

// Tests never reach the internet: every outbound request must go to loopback.
process.env.TMR_TEST = '1';
