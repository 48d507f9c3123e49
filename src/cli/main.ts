#!/usr/bin/env node
import path from 'node:path';
import { Command } from 'commander';
import { runMain } from '../main-guard';
import { planExtract, planLoad, seedDemo } from './plan-commands';

/** `lisplan`: the operator's command line. Each command prints one line and exits 1 on failure. */
const program = new Command()
  .name('lisplan')
  .description('lisplan: informationssäkerhetens förbättringsplan som arbetsflöden')
  .showHelpAfterError()
  .exitOverride();

const plan = program.command('plan').description('treårsplaner');
plan
  .command('load')
  .description("starta organisationers aktiviteter ur planfiler (YAML eller JSON); idempotent")
  .argument('<files...>', 'en eller flera planfiler, t.ex. plans/sodermalm.yaml')
  .action((files: string[]) => planLoad(files.map((f) => path.resolve(f))));

plan
  .command('extract')
  .description('läs ett tidigare års Ledningens genomgång (.txt) och skriv ut planens aktiviteter och nyckeltalskandidater; startar och skriver inget')
  .argument('<file>', 'rapporten, t.ex. lg-2025.txt')
  .option('--json', 'skriv ut JSON (standard)', true)
  .action((file: string) => planExtract(path.resolve(file)));

program
  .command('seed')
  .description('demodata')
  .command('demo')
  .description('ladda båda seed-organisationernas planer och demoanvändare i varje roll')
  .action(() => seedDemo());

runMain('lisplan', async () => {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    // commander has printed its own message for usage errors and --help.
    const code = (err as { exitCode?: number }).exitCode;
    if (code !== undefined) process.exit(code);
    throw err;
  }
});
