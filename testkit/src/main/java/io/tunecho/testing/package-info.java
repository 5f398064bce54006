/** What every module's tests share: Netty's leak detector as a JUnit extension that fails the leaking test. */
package io.tunecho.testing;
