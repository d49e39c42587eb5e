// GitHub's filter patterns: every example of the "Filter pattern cheat sheet" (workflow syntax
// docs), the order examples of the branches and paths sections, and the forms left to errors.
import { describe, expect, it } from '@jest/globals'
import { compileFilterPattern, compileFilterPatterns, FilterPatternError } from '../../src/workflow-files/filter-patterns.js'

const includes = (patterns: readonly string[], value: string, ignoreCase = false) => compileFilterPatterns(patterns, { ignoreCase }).includes(value)

describe('the cheat sheet: patterns to match branches and tags', () => {
  it.each([
    [['feature/*'], 'feature/my-branch', true],
    [['feature/*'], 'feature/your-branch', true],
    [['feature/*'], 'feature/beta-a/my-branch', false],
    [['feature/**'], 'feature/beta-a/my-branch', true],
    [['feature/**'], 'feature/your-branch', true],
    [['feature/**'], 'feature/mona/the/octocat', true],
    [['feature/**'], 'mona/feature/octocat', false],
    [['main', 'releases/mona-the-octocat'], 'main', true],
    [['main', 'releases/mona-the-octocat'], 'releases/mona-the-octocat', true],
    [['main', 'releases/mona-the-octocat'], 'mainline', false],
    [['main', 'releases/mona-the-octocat'], 'releases/mona-the-octocat-2', false],
    [['*'], 'main', true],
    [['*'], 'releases', true],
    [['*'], 'releases/v1', false],
    [['**'], 'all/the/branches', true],
    [['**'], 'every/tag', true],
    [['*feature'], 'mona-feature', true],
    [['*feature'], 'feature', true],
    [['*feature'], 'ver-10-feature', true],
    [['*feature'], 'feature-x', false],
    [['*feature'], 'mona/feature', false],
    [['v2*'], 'v2', true],
    [['v2*'], 'v2.0', true],
    [['v2*'], 'v2.9', true],
    [['v2*'], 'v1.0', false],
    [['v[12].[0-9]+.[0-9]+'], 'v1.10.1', true],
    [['v[12].[0-9]+.[0-9]+'], 'v2.0.0', true],
    [['v[12].[0-9]+.[0-9]+'], 'v3.0.0', false],
    [['v[12].[0-9]+.[0-9]+'], 'v1..1', false],
    [['v[12].[0-9]+.[0-9]+'], 'v1x0x1', false],
    [['v[12].[0-9]+.[0-9]+'], 'v1.0', false]
  ])('%j includes %j: %s', (patterns, value, expected) => expect(includes(patterns, value)).toBe(expected))
})

describe('the cheat sheet: patterns to match file paths', () => {
  it.each([
    [['*'], 'README.md', true],
    [['*'], 'server.rb', true],
    [['*'], 'docs/README.md', false],
    [['*.jsx?'], 'page.js', true],
    [['*.jsx?'], 'page.jsx', true],
    [['*.jsx?'], 'page.jsxx', false],
    [['*.jsx?'], 'src/page.js', false],
    [['**'], 'all/the/files.md', true],
    [['**'], '.github/workflows/ci.yml', true],
    [['*.js'], 'app.js', true],
    [['*.js'], 'index.js', true],
    [['*.js'], 'js/index.js', false],
    [['**.js'], 'index.js', true],
    [['**.js'], 'js/index.js', true],
    [['**.js'], 'src/js/app.js', true],
    [['**.js'], 'src/js/app.jsx', false],
    [['docs/*'], 'docs/README.md', true],
    [['docs/*'], 'docs/file.txt', true],
    [['docs/*'], 'docs/mona/octocat.txt', false],
    [['docs/**'], 'docs/README.md', true],
    [['docs/**'], 'docs/mona/octocat.txt', true],
    [['docs/**'], 'src/docs/octocat.txt', false],
    [['docs/**/*.md'], 'docs/README.md', true],
    [['docs/**/*.md'], 'docs/mona/hello-world.md', true],
    [['docs/**/*.md'], 'docs/a/markdown/file.md', true],
    [['docs/**/*.md'], 'docs/a/file.txt', false],
    [['**/docs/**'], 'docs/hello.md', true],
    [['**/docs/**'], 'dir/docs/my-file.txt', true],
    [['**/docs/**'], 'space/docs/plan/space.doc', true],
    [['**/docs/**'], 'mydocs/hello.md', false],
    [['**/README.md'], 'README.md', true],
    [['**/README.md'], 'js/README.md', true],
    [['**/README.md'], 'js/OLD-README.md', false],
    [['**/*src/**'], 'a/src/app.js', true],
    [['**/*src/**'], 'my-src/code/js/app.js', true],
    [['**/*src/**'], 'src-old/app.js', false],
    [['**/*-post.md'], 'my-post.md', true],
    [['**/*-post.md'], 'path/their-post.md', true],
    [['**/*-post.md'], 'path/post.md', false],
    [['**/migrate-*.sql'], 'migrate-10909.sql', true],
    [['**/migrate-*.sql'], 'db/migrate-v1.0.sql', true],
    [['**/migrate-*.sql'], 'db/sept/migrate-v1.sql', true],
    [['**/migrate-*.sql'], 'db/migrate/v1.sql', false],
    [['*.md', '!README.md'], 'hello.md', true],
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'docs/hello.md', false],
    [['*.md', '!README.md', 'README*'], 'hello.md', true],
    [['*.md', '!README.md', 'README*'], 'README.md', true],
    [['*.md', '!README.md', 'README*'], 'README.doc', true]
  ])('%j includes %j: %s', (patterns, value, expected) => expect(includes(patterns, value)).toBe(expected))
})

describe('the cheat sheet: the characters', () => {
  it.each([
    ['Octo*', 'Octocat', true],
    ['[CB]at', 'Cat', true],
    ['[CB]at', 'Bat', true],
    ['[CB]at', 'Rat', false],
    ['[1-2]00', '100', true],
    ['[1-2]00', '200', true],
    ['[1-2]00', '300', false],
    ['[0-9a-z]', 'g', true],
    ['[0-9a-z]', '7', true],
    ['[0-9a-z]', 'G', false],
    ['colou?r', 'color', true],
    ['colou?r', 'colour', true],
    ['colou?r', 'colouur', false],
    ['ab+c', 'abbbc', true],
    ['ab+c', 'ac', false],
    ['a.b', 'axb', false]
  ])('%j matches %j: %s', (pattern, value, expected) => expect(compileFilterPattern(pattern).matches(value)).toBe(expected))
})

describe('order and negation', () => {
  it.each([
    // The branches section's example: the later `!` pattern excludes what the first included.
    [['releases/**', '!releases/**-alpha'], 'releases/10', true],
    [['releases/**', '!releases/**-alpha'], 'releases/beta/mona', true],
    [['releases/**', '!releases/**-alpha'], 'releases/10-alpha', false],
    [['releases/**', '!releases/**-alpha'], 'releases/beta/3-alpha', false],
    // The paths section's example.
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/index.js', true],
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/src/index.js', true],
    [['sub-project/**', '!sub-project/docs/**'], 'sub-project/docs/readme.md', false],
    // A `!` before any positive match negates nothing; the last match decides.
    [['!main', '**'], 'main', true],
    [['**', '!main'], 'main', false],
    [['**', '!main', 'ma*'], 'main', true],
    [[], 'main', false]
  ])('%j includes %j: %s', (patterns, value, expected) => expect(includes(patterns, value)).toBe(expected))

  it('says which patterns are negative, keeping the source as written', () => {
    const list = compileFilterPatterns(['src/**', '!src/docs/**'])
    expect(list.patterns.map((pattern) => [pattern.source, pattern.negative])).toEqual([
      ['src/**', false],
      ['!src/docs/**', true]
    ])
  })
})

describe('escaping and literal characters', () => {
  it.each([
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['\\!file', '!file', true],
    ['feature\\+x', 'feature+x', true],
    ['feature\\+x', 'featurex', false],
    ['feature\\?x', 'feature?x', true],
    ['\\[x\\]', '[x]', true],
    ['a\\\\b', 'a\\b', true],
    ['v1\\.0', 'v1.0', true],
    ['release-\\(1\\)', 'release-(1)', true],
    // `!` is special only as the first character.
    ['a!b', 'a!b', true],
    // An escaped character is one character: `?` applies to it.
    ['a\\.?b', 'ab', true]
  ])('%j matches %j: %s', (pattern, value, expected) => expect(compileFilterPattern(pattern).matches(value)).toBe(expected))
})

describe('forms the docs leave open', () => {
  it.each([
    ['', 'an empty pattern'],
    ['!', 'an empty pattern'],
    ['+a', 'no single character before it'],
    ['?a', 'no single character before it'],
    ['*?', 'no single character before it'],
    ['**+', 'no single character before it'],
    ['a??', 'no single character before it'],
    ['***', 'three or more'],
    ['a**/b', 'same segment'],
    ['[]', 'empty'],
    ['[ab', 'no closing'],
    ['[A-z]', 'range'],
    ['[z-a]', 'range'],
    ['[!a]', 'class'],
    ['[a.]', 'class'],
    ['(a|b)', 'unescaped'],
    ['{a,b}', 'unescaped'],
    ['^main$', 'unescaped'],
    ['a]', 'unescaped'],
    ['trailing\\', 'nothing to escape']
  ])('%j throws a FilterPatternError (%s)', (pattern, problem) => {
    const thrown = (() => {
      try {
        compileFilterPattern(pattern)
      } catch (error) {
        return error
      }
      return undefined
    })()
    expect(thrown).toBeInstanceOf(FilterPatternError)
    expect((thrown as FilterPatternError).pattern).toBe(pattern)
    expect((thrown as FilterPatternError).problem).toContain(problem)
  })

  it('throws for the first pattern of a list it cannot read', () => {
    expect(() => compileFilterPatterns(['src/**', '{a,b}'])).toThrow(FilterPatternError)
  })
})

describe('case', () => {
  it('matches with exact case unless told to ignore it', () => {
    expect(includes(['Docs/**'], 'docs/a.md')).toBe(false)
    expect(includes(['Docs/**'], 'docs/a.md', true)).toBe(true)
    expect(includes(['[A-Z]*'], 'main', true)).toBe(true)
    expect(includes(['**', '!MAIN'], 'main', true)).toBe(false)
  })
})

describe('cost', () => {
  it('answers at once for patterns a backtracking RegExp would take ages on', () => {
    const started = Date.now()
    expect(compileFilterPattern('**a'.repeat(30) + 'b').matches('a'.repeat(5000))).toBe(false)
    expect(compileFilterPattern('*a'.repeat(30) + 'b').matches('a'.repeat(5000))).toBe(false)
    expect(compileFilterPattern('**/'.repeat(10) + 'x').matches('a/'.repeat(2000))).toBe(false)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
