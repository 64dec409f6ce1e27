package dev.wsboot.conformance;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application that runs the cases: one client per case ({@code case-1} …) and
 * {@code reports}, all started by the driver, all echoing.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ CaseEcho.class, CaseOutcomes.class })
class EchoConfiguration {

}
